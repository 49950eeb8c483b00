import { AfterShip, AftershipError, AuthType } from '@aftership/tracking-sdk';
import type { Logger } from '../../log';
import { aftershipSlug } from '../commerce/carriers';
import type { CarrierTracker, CarrierTracking } from '../commerce/types';
import { parseVendorPayload, SourceUnavailable, vendorFailure } from '../errors';
import { retryAfterMs } from '../http';
import { aftershipTracking } from './mapping';
import { AfterShipTracking } from './schema';

export interface AfterShipSettings {
  apiKey: string;
  /** Replaces https://api.aftership.com, for local fakes (no trailing slash: the SDK requires it). */
  apiBase: string;
}

export interface AfterShipDeps {
  log: Logger;
  sleep?: (ms: number) => Promise<void>;
  maxRateLimitWaits?: number;
}

const SOURCE = 'aftership';
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Meta codes that mean "AfterShip cannot track this number": unknown, not an error to retry. */
const UNTRACKABLE = new Set([4005, 4010, 4012, 4017]);
const ALREADY_EXISTS = 4003;
const DOES_NOT_EXIST = 4004;

/**
 * The official SDK (pinned: its paths carry the API month, 2026-07 for 17.0.0). Its own retries are
 * off: they skip 429 and back off by XOR (≈1 ms); 429 is waited out here, 5xx left to the job's backoff.
 */
export function createAfterShipApi(settings: AfterShipSettings): AfterShip {
  return new AfterShip({ api_key: settings.apiKey, auth_type: AuthType.API_KEY, domain: settings.apiBase.replace(/\/+$/, ''), max_retry: 0, timeout: 15_000, user_agent: 'rebuttal' });
}

export class AfterShipTracker implements CarrierTracker {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly api: AfterShip, private readonly deps: AfterShipDeps) {
    this.sleep = deps.sleep ?? defaultSleep;
  }

  /** By the id we kept when there is one; otherwise register it (an existing one is looked up by number). */
  async track(q: { carrier: string; trackingNumber: string; trackerId?: string }): Promise<CarrierTracking> {
    const slug = aftershipSlug(q.carrier);
    if (q.trackerId) {
      const byId = await this.call('the tracking', () => this.api.tracking.getTrackingById(q.trackerId!), [DOES_NOT_EXIST, 404]);
      if (byId !== 'refused') return this.parse(byId.data);
    }
    const created = await this.call('a new tracking', () => this.api.tracking.createTracking({ tracking_number: q.trackingNumber, ...(slug ? { slug } : {}) }), [ALREADY_EXISTS, ...UNTRACKABLE]);
    if (created !== 'refused') return this.parse(created.data);
    const listed = await this.call('the tracking list', () => this.api.tracking.getTrackings({ tracking_numbers: q.trackingNumber, ...(slug ? { slug } : {}) }), [...UNTRACKABLE]);
    const tracking = listed === 'refused' ? undefined : listed.data.trackings?.find((t) => t.tracking_number === q.trackingNumber);
    if (!tracking) return { status: 'unknown', reason: `AfterShip cannot track ${q.carrier} ${q.trackingNumber}` };
    return this.parse(tracking);
  }

  private parse(data: unknown): CarrierTracking {
    return aftershipTracking(parseVendorPayload(AfterShipTracking, data, SOURCE, 'a tracking', 'data'));
  }

  /** One SDK call: 429 waited out (Retry-After, else X-RateLimit-Reset), the listed meta codes returned as 'refused'. */
  private async call<T>(what: string, run: () => Promise<T>, expected: number[]): Promise<T | 'refused'> {
    const maxWaits = this.deps.maxRateLimitWaits ?? 5;
    for (let waits = 0; ; waits++) {
      try {
        return await run();
      } catch (err) {
        if (!(err instanceof AftershipError)) throw new SourceUnavailable(SOURCE, `${what}: ${(err as Error).message}`);
        const status = Number(err.status_code ?? 0);
        if (expected.includes(err.meta_code ?? -1) || expected.includes(status)) return 'refused';
        if (status === 429 && waits < maxWaits) {
          const headers = (err.response_headers ?? {}) as Record<string, string | undefined>;
          const reset = Number(headers['x-ratelimit-reset']);
          const wait = headers['retry-after'] !== undefined || !Number.isFinite(reset) ? retryAfterMs(headers['retry-after'] ?? null) : Math.max(0, reset * 1000 - Date.now());
          this.deps.log.info({ source: SOURCE, waitMs: wait }, 'aftership rate limited: waiting');
          await this.sleep(wait);
          continue;
        }
        throw vendorFailure(SOURCE, status, what, err.message);
      }
    }
  }
}
