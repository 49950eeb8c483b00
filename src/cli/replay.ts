import { randomInt, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import type { Config } from '../config';
import { PROVIDERS, type Provider } from '../db/schema';
import { signDelivery, SigningNotConfigured } from '../providers/signing';
import { CliError, cliConfig, print } from './context';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Folders of fixtures that are not webhook events. */
const NOT_EVENTS = new Set(['keys', 'api', 'merchant']);

/** Files in the order given; a folder's .json files sorted by name, its subfolders after. */
export function collectFixtures(paths: string[]): string[] {
  return paths.flatMap((p) => {
    const stat = statSync(p, { throwIfNoEntry: false });
    if (!stat) throw new CliError(`no such file or folder: ${p}`);
    if (!stat.isDirectory()) return [p];
    const entries = readdirSync(p, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    const files = entries.filter((e) => e.isFile() && e.name.endsWith('.json')).map((e) => path.join(p, e.name));
    const folders = entries.filter((e) => e.isDirectory() && !NOT_EVENTS.has(e.name)).map((e) => path.join(p, e.name));
    return [...files, ...collectFixtures(folders)];
  });
}

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Which provider sent this payload, from its envelope. */
export function detectProvider(payload: unknown): Provider | undefined {
  if (!isObject(payload)) return undefined;
  if (payload.object === 'event' && typeof payload.type === 'string') return 'stripe';
  if (typeof payload.event_type === 'string' && typeof payload.id === 'string') return 'paypal';
  if (typeof payload.event_id === 'string' && typeof payload.merchant_id === 'string') return 'square';
  return undefined;
}

/** When the event happened, by its provider's clock (NaN when the payload does not say). */
export function eventTime(provider: Provider, payload: JsonObject): number {
  if (provider === 'stripe') return typeof payload.created === 'number' ? payload.created * 1000 : NaN;
  const time = provider === 'paypal' ? payload.create_time : payload.created_at;
  return typeof time === 'string' ? Date.parse(time) : NaN;
}

/** Stripe's times are unix seconds under these keys (event, dispute, balance transactions). */
const STRIPE_TIME_KEYS = new Set(['created', 'due_by', 'available_on']);
/** PayPal and Square write times as RFC 3339 strings. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function shiftRfc3339(text: string, offsetMs: number): string {
  const shifted = new Date(Date.parse(text) + offsetMs).toISOString();
  return /\.\d+/.test(text) ? shifted : shifted.replace(/\.\d{3}Z$/, 'Z');
}

/** Every time in the payload moved by the same offset; nothing else changes (Square's `version` included). */
function shiftTimes(provider: Provider, value: Json, offsetMs: number, key?: string): Json {
  if (Array.isArray(value)) return value.map((item) => shiftTimes(provider, item, offsetMs));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shiftTimes(provider, v, offsetMs, k)]));
  if (provider === 'stripe') return typeof value === 'number' && key && STRIPE_TIME_KEYS.has(key) ? value + Math.round(offsetMs / 1000) : value;
  return typeof value === 'string' && RFC3339.test(value) ? shiftRfc3339(value, offsetMs) : value;
}

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const randomText = (length: number, alphabet: string) => Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');

/** A new event id shaped like the provider's own: `evt_…`, `WH-…-…`, a UUID. */
export function newEventId(provider: Provider): string {
  if (provider === 'stripe') return `evt_${randomText(24, ALPHANUMERIC)}`;
  if (provider === 'paypal') return `WH-${randomText(17, ALPHANUMERIC.slice(0, 36))}-${randomText(17, ALPHANUMERIC.slice(0, 36))}`;
  return randomUUID();
}

export function providerEventId(provider: Provider, payload: JsonObject): string {
  const id = provider === 'square' ? payload.event_id : payload.id;
  return typeof id === 'string' ? id : '?';
}

/**
 * A fresh copy: a new event id, and every time moved by the same offset so the events of one
 * replay keep their order and their deadlines stay as far ahead of them as they were.
 */
export function freshen(provider: Provider, payload: JsonObject, offsetMs: number): JsonObject {
  const event = shiftTimes(provider, payload, offsetMs) as JsonObject;
  const oldId = providerEventId(provider, payload);
  const id = newEventId(provider);
  if (provider === 'square') return { ...event, event_id: id };
  if (provider === 'stripe') return { ...event, id };
  // PayPal's event links name the event.
  const links = Array.isArray(event.links)
    ? event.links.map((link) => (isObject(link) && typeof link.href === 'string' ? { ...link, href: link.href.replace(oldId, id) } : link))
    : event.links;
  return { ...event, id, ...(links === undefined ? {} : { links }) };
}

interface Fixture {
  file: string;
  text: string;
  payload: JsonObject;
  provider: Provider;
}

function readFixture(file: string, forced?: Provider): Fixture {
  const text = readFileSync(file, 'utf8');
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    throw new CliError(`${file} is not JSON`);
  }
  const provider = forced ?? detectProvider(payload);
  if (!provider || !isObject(payload)) throw new CliError(`${file}: cannot tell which provider sent it (use --provider)`);
  return { file, text, payload, provider };
}

/** The answer of the receiver in a few words: new, duplicate, ignored, or the error code. */
function verdict(answer: Record<string, unknown>): string {
  if (answer.error) return String(answer.error);
  if (answer.ignored) return 'ignored';
  if (answer.duplicate) return `duplicate of ${answer.eventId}`;
  return `new ${answer.eventId}`;
}

export interface ReplayOptions {
  to: string;
  provider?: Provider;
  fresh?: boolean;
  /** Told of each event the receiver accepted, as sent (the demo's provider sandbox learns its disputes so). */
  observe?: (provider: Provider, payload: JsonObject) => void;
}

/**
 * Signs each fixture as its provider would and posts it, in order; one line per event.
 * Resolves false if the receiver refused any; stops at the first that cannot be delivered.
 */
export async function replay(config: Config, paths: string[], options: ReplayOptions, print: (line: string) => void): Promise<boolean> {
  const fixtures = collectFixtures(paths).map((file) => readFixture(file, options.provider));
  if (fixtures.length === 0) throw new CliError('no fixtures found');
  const earliest = Math.min(...fixtures.map((f) => eventTime(f.provider, f.payload)).filter(Number.isFinite));
  const offsetMs = Number.isFinite(earliest) ? Date.now() - earliest : 0;
  const base = options.to.replace(/\/+$/, '');

  let allAccepted = true;
  for (const fixture of fixtures) {
    const payload = options.fresh ? freshen(fixture.provider, fixture.payload, offsetMs) : fixture.payload;
    // The exact bytes sent are the bytes signed: the file as it is, or the re-serialized fresh copy.
    const body = options.fresh ? JSON.stringify(payload, null, 2) : fixture.text;
    let headers: Record<string, string>;
    try {
      headers = signDelivery(fixture.provider, body, config);
    } catch (err) {
      if (err instanceof SigningNotConfigured) throw new CliError(`cannot sign ${fixture.provider} events: ${err.message}`);
      throw err;
    }
    const prefix = `${fixture.file}  ${fixture.provider}  ${providerEventId(fixture.provider, payload)}`;
    let response: Response;
    try {
      response = await fetch(`${base}/webhooks/${fixture.provider}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
    } catch (err) {
      const cause = (err as Error & { cause?: { code?: string; message?: string } }).cause;
      const reason = cause?.code ?? cause?.message ?? (err as Error).message;
      print(`${prefix}  not sent`);
      throw new CliError(`cannot reach the receiver at ${base} (${reason}): start it with \`npm start\` or pass --to`);
    }
    const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) allAccepted = false;
    else options.observe?.(fixture.provider, payload);
    print(`${prefix}  ${response.status}  ${verdict(answer)}`);
  }
  return allAccepted;
}

export const replayCommand = () =>
  new Command('replay')
    .description('sign fixture events exactly as their provider would and post them to the receiver')
    .argument('<paths...>', 'fixture files or folders (a folder: its .json files in name order, then its subfolders)')
    .option('--to <url>', 'receiver base URL (default http://127.0.0.1:$PORT)')
    .addOption(new Option('--provider <name>', 'force the provider instead of detecting it').choices(PROVIDERS))
    .option('--fresh', 'new event ids, and every time moved so the earliest event is now: a replay that is not a duplicate')
    .action(async (paths: string[], options: { to?: string; provider?: Provider; fresh?: boolean }) => {
      const config = cliConfig();
      const accepted = await replay(config, paths, { ...options, to: options.to ?? `http://127.0.0.1:${config.port}` }, print);
      if (!accepted) throw new CliError('some events were not accepted (see the lines above)');
    });
