import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import type { Config } from '../config';
import { PROVIDER_MODULES, PROVIDER_NAMES } from '../providers';
import { isObject } from '../providers/replay';
import { SigningNotConfigured, type JsonObject, type ProviderModule } from '../providers/types';
import { CliError, cliConfig, print } from './context';

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

/** The provider module whose envelope this payload has. */
export function detectProvider(payload: unknown, modules: readonly ProviderModule[] = PROVIDER_MODULES): ProviderModule | undefined {
  return isObject(payload) ? modules.find((m) => m.replay.detect(payload)) : undefined;
}

interface Fixture {
  file: string;
  text: string;
  payload: JsonObject;
  provider: ProviderModule;
}

function readFixture(file: string, forced?: ProviderModule): Fixture {
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
  /** Forces the provider instead of detecting it from each payload. */
  provider?: string;
  fresh?: boolean;
  /** Told of each event the receiver accepted, as sent (the demo's provider sandbox learns its disputes so). */
  observe?: (provider: string, payload: JsonObject) => void;
}

/**
 * Signs each fixture as its provider would and posts it, in order; one line per event.
 * Resolves false if the receiver refused any; stops at the first that cannot be delivered.
 */
export async function replay(config: Config, paths: string[], options: ReplayOptions, print: (line: string) => void): Promise<boolean> {
  const forced = options.provider === undefined ? undefined : PROVIDER_MODULES.find((m) => m.name === options.provider);
  if (options.provider !== undefined && !forced) throw new CliError(`unknown provider ${options.provider}`);
  const fixtures = collectFixtures(paths).map((file) => readFixture(file, forced));
  if (fixtures.length === 0) throw new CliError('no fixtures found');
  const earliest = Math.min(...fixtures.map((f) => f.provider.replay.eventTime(f.payload)).filter(Number.isFinite));
  const offsetMs = Number.isFinite(earliest) ? Date.now() - earliest : 0;
  const base = options.to.replace(/\/+$/, '');

  let allAccepted = true;
  for (const fixture of fixtures) {
    const payload = options.fresh ? fixture.provider.replay.freshen(fixture.payload, offsetMs) : fixture.payload;
    // The exact bytes sent are the bytes signed: the file as it is, or the re-serialized fresh copy.
    const body = options.fresh ? JSON.stringify(payload, null, 2) : fixture.text;
    let headers: Record<string, string>;
    try {
      headers = fixture.provider.replay.sign(body, config.providers[fixture.provider.name]);
    } catch (err) {
      if (err instanceof SigningNotConfigured) throw new CliError(`cannot sign ${fixture.provider.name} events: ${err.message}`);
      throw err;
    }
    const prefix = `${fixture.file}  ${fixture.provider.name}  ${fixture.provider.replay.eventId(payload)}`;
    let response: Response;
    try {
      response = await fetch(`${base}/webhooks/${fixture.provider.name}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
    } catch (err) {
      const cause = (err as Error & { cause?: { code?: string; message?: string } }).cause;
      const reason = cause?.code ?? cause?.message ?? (err as Error).message;
      print(`${prefix}  not sent`);
      throw new CliError(`cannot reach the receiver at ${base} (${reason}): start it with \`npm start\` or pass --to`);
    }
    const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) allAccepted = false;
    else options.observe?.(fixture.provider.name, payload);
    print(`${prefix}  ${response.status}  ${verdict(answer)}`);
  }
  return allAccepted;
}

export const replayCommand = () =>
  new Command('replay')
    .description('sign fixture events exactly as their provider would and post them to the receiver')
    .argument('<paths...>', 'fixture files or folders (a folder: its .json files in name order, then its subfolders)')
    .option('--to <url>', 'receiver base URL (default http://127.0.0.1:$PORT)')
    .addOption(new Option('--provider <name>', 'force the provider instead of detecting it').choices(PROVIDER_NAMES))
    .option('--fresh', 'new event ids, and every time moved so the earliest event is now: a replay that is not a duplicate')
    .action(async (paths: string[], options: { to?: string; provider?: string; fresh?: boolean }) => {
      const config = cliConfig();
      const accepted = await replay(config, paths, { ...options, to: options.to ?? `http://127.0.0.1:${config.port}` }, print);
      if (!accepted) throw new CliError('some events were not accepted (see the lines above)');
    });
