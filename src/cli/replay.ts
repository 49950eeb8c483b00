import { randomUUID, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';
import type { Provider } from '../db/schema';
import { signDelivery, SigningNotConfigured } from '../providers/signing';
import { CliError } from './context';

/** Folders of fixtures that are not webhook events. */
const NOT_EVENTS = new Set(['keys', 'api', 'merchant']);

/** Files in the order given; a folder's .json files sorted by name, its subfolders after. */
export function collectFixtures(paths: string[]): string[] {
  return paths.flatMap((p) => {
    if (!statSync(p, { throwIfNoEntry: false })) throw new CliError(`no such file or folder: ${p}`);
    if (!statSync(p).isDirectory()) return [p];
    const entries = readdirSync(p, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    const files = entries.filter((e) => e.isFile() && e.name.endsWith('.json')).map((e) => path.join(p, e.name));
    const folders = entries.filter((e) => e.isDirectory() && !NOT_EVENTS.has(e.name)).map((e) => path.join(p, e.name));
    return [...files, ...collectFixtures(folders)];
  });
}

/** Which provider sent this payload, from its envelope. */
export function detectProvider(payload: any): Provider | undefined {
  if (payload?.object === 'event' && typeof payload.type === 'string') return 'stripe';
  if (typeof payload?.event_type === 'string' && typeof payload.id === 'string') return 'paypal';
  if (typeof payload?.event_id === 'string' && typeof payload.type === 'string') return 'square';
  return undefined;
}

/** When the event happened, by its provider's clock. */
export function eventTime(provider: Provider, payload: any): number {
  if (provider === 'stripe') return payload.created * 1000;
  return Date.parse(provider === 'paypal' ? payload.create_time : payload.created_at);
}

const shiftIso = (value: unknown, offsetMs: number) =>
  typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? new Date(Date.parse(value) + offsetMs).toISOString() : value;
const shiftUnix = (value: unknown, offsetMs: number) => (typeof value === 'number' ? value + Math.round(offsetMs / 1000) : value);

/**
 * A fresh copy: a new event id, and every time moved by the same offset so the events of one
 * replay keep their order and their deadlines stay as far ahead as they were.
 */
export function freshen(provider: Provider, payload: any, offsetMs: number): any {
  const event = structuredClone(payload);
  if (provider === 'stripe') {
    event.id = `evt_${randomBytes(12).toString('hex')}`;
    event.created = shiftUnix(event.created, offsetMs);
    const dispute = event.data?.object;
    if (dispute?.object === 'dispute') {
      dispute.created = shiftUnix(dispute.created, offsetMs);
      if (dispute.evidence_details) dispute.evidence_details.due_by = shiftUnix(dispute.evidence_details.due_by, offsetMs);
    }
  } else if (provider === 'paypal') {
    event.id = `WH-${randomBytes(8).toString('hex').toUpperCase()}-${randomBytes(8).toString('hex').toUpperCase()}`;
    event.create_time = shiftIso(event.create_time, offsetMs);
    for (const key of ['create_time', 'update_time', 'seller_response_due_date']) {
      if (event.resource?.[key]) event.resource[key] = shiftIso(event.resource[key], offsetMs);
    }
  } else {
    event.event_id = randomUUID();
    event.created_at = shiftIso(event.created_at, offsetMs);
    const dispute = event.data?.object?.object ?? event.data?.object?.dispute;
    for (const key of ['created_at', 'updated_at', 'due_at', 'reported_at']) {
      if (dispute?.[key]) dispute[key] = shiftIso(dispute[key], offsetMs);
    }
  }
  return event;
}

export interface ReplayOptions {
  to: string;
  provider?: Provider;
  fresh?: boolean;
}

/** Signs each fixture as its provider would and posts it; one line per event. Resolves false if any failed. */
export async function replay(config: Config, files: string[], options: ReplayOptions, print: (line: string) => void): Promise<boolean> {
  const fixtures = collectFixtures(files).map((file) => {
    const text = readFileSync(file, 'utf8');
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch {
      throw new CliError(`${file} is not JSON`);
    }
    const provider = options.provider ?? detectProvider(payload);
    if (!provider) throw new CliError(`${file}: cannot tell which provider sent it (use --provider)`);
    return { file, text, payload, provider };
  });
  if (fixtures.length === 0) throw new CliError('no fixtures found');
  const earliest = Math.min(...fixtures.map((f) => eventTime(f.provider, f.payload)).filter(Number.isFinite));
  const offsetMs = Date.now() - earliest;

  let allOk = true;
  for (const fixture of fixtures) {
    const sent = options.fresh ? freshen(fixture.provider, fixture.payload, offsetMs) : fixture.payload;
    const body = options.fresh ? JSON.stringify(sent) : fixture.text;
    let headers: Record<string, string>;
    try {
      headers = signDelivery(fixture.provider, body, config);
    } catch (err) {
      if (err instanceof SigningNotConfigured) throw new CliError(`cannot sign ${fixture.provider} events: ${err.message}`);
      throw err;
    }
    const url = `${options.to.replace(/\/+$/, '')}/webhooks/${fixture.provider}`;
    let line: string;
    try {
      const response = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
      const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
      const verdict = answer.error ? String(answer.error) : answer.ignored ? 'ignored' : answer.duplicate ? `duplicate of ${answer.eventId}` : `new ${answer.eventId}`;
      if (!response.ok) allOk = false;
      line = `${response.status}  ${verdict}`;
    } catch (err) {
      allOk = false;
      line = `failed  ${(err as Error & { cause?: { code?: string } }).cause?.code ?? (err as Error).message} (is the receiver running at ${options.to}?)`;
    }
    const providerEventId = (sent as { id?: string; event_id?: string }).event_id ?? (sent as { id?: string }).id;
    print(`${fixture.file}  ${fixture.provider}  ${providerEventId}  ${line}`);
  }
  return allOk;
}
