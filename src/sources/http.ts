import type { z } from 'zod';
import { maskCardNumbers } from '../log';
import { parseVendorPayload, SourcePayloadInvalid, SourceUnavailable, vendorFailure } from './errors';

export interface VendorHttp {
  /** For messages: 'zendesk' */
  source: string;
  base: string;
  authorization: string;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** How many 429s one request waits out before the job gives up and retries later. */
  maxRateLimitWaits?: number;
  /** The longest Retry-After waited in process; longer ones are left to the job's backoff. */
  maxRetryAfterMs?: number;
}

export interface VendorRequest<T> {
  method?: 'GET' | 'POST' | 'PUT';
  /** A path under the base, or an absolute URL the vendor gave us (a next-page link). */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  schema: z.ZodType<T>;
  /** In error messages: 'the ticket list' */
  what: string;
}

export interface VendorAnswer<T> {
  data: T;
  headers: Headers;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Retry-After in seconds (or an HTTP date), as milliseconds; 1 s when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number {
  if (!header) return 1_000;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1_000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? 1_000 : Math.max(0, at - now);
}

/** The vendor's own words about a refusal, from whichever field it uses, short and masked. */
function vendorMessage(text: string): string {
  let message = text;
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    const pick = (v: unknown): string | undefined => (typeof v === 'string' ? v : v && typeof v === 'object' ? pick((v as Record<string, unknown>).message ?? (v as Record<string, unknown>).title) : undefined);
    message = pick(json.error) ?? pick(json.description) ?? pick(json.message) ?? pick(json.errors) ?? text;
    if (json.description && typeof json.error === 'string' && typeof json.description === 'string') message = `${json.error}: ${json.description}`;
  } catch {
    // not JSON: the text as it is
  }
  return maskCardNumbers(message.replace(/\s+/g, ' ').trim().slice(0, 300)) || 'no message';
}

/** The URL of a path under the base, or of an absolute next-page link. */
export function vendorUrl(base: string, path: string, query: VendorRequest<unknown>['query'] = {}): URL {
  const url = /^https?:\/\//.test(path) ? new URL(path) : new URL(`${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`);
  for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
  return url;
}

/** The rel="next" target of an RFC 8288 Link header (Freshdesk), if any. */
export function nextLink(header: string | null): string | undefined {
  for (const part of (header ?? '').split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(part);
    if (match) return match[1];
  }
  return undefined;
}

/**
 * One JSON call to a vendor: auth header, timeout, 429 waited out as Retry-After says, and every
 * outcome turned into our error classes. The answer is parsed by its schema before anyone sees it.
 */
export async function vendorCall<T>(http: VendorHttp, request: VendorRequest<T>): Promise<VendorAnswer<T>> {
  const url = vendorUrl(http.base, request.path, request.query);
  const sleep = http.sleep ?? defaultSleep;
  const maxWaits = http.maxRateLimitWaits ?? 5;
  for (let waits = 0; ; waits++) {
    let response: Response;
    try {
      response = await fetch(url, {
        method: request.method ?? 'GET',
        headers: {
          authorization: http.authorization,
          accept: 'application/json',
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(http.timeoutMs ?? 15_000),
        redirect: 'error',
      });
    } catch (err) {
      throw new SourceUnavailable(http.source, `${request.what}: ${(err as Error).name === 'TimeoutError' ? 'timed out' : (err as Error).message}`);
    }
    const text = await response.text().catch(() => '');
    if (response.status === 429) {
      const wait = retryAfterMs(response.headers.get('retry-after'));
      if (waits >= maxWaits || wait > (http.maxRetryAfterMs ?? 60_000)) {
        throw new SourceUnavailable(http.source, `${request.what}: rate limited (429), retry after ${Math.ceil(wait / 1000)} s`);
      }
      await sleep(wait);
      continue;
    }
    if (response.status >= 400) throw vendorFailure(http.source, response.status, request.what, vendorMessage(text));
    let json: unknown;
    try {
      json = text === '' ? {} : JSON.parse(text);
    } catch {
      throw new SourcePayloadInvalid(http.source, request.what, 'not JSON');
    }
    return { data: parseVendorPayload(request.schema, json, http.source, request.what, 'body'), headers: response.headers };
  }
}

export const basicAuth = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
