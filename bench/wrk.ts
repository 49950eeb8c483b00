import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { coresBetween, cpuSample, type CpuSample } from './support';

/**
 * wrk (Debian's package) as the full-load generator: written in C, it spends ≈20 µs of CPU a
 * request here, where autocannon, in Node and signing each request as it goes, spent 85 µs on the
 * same two cores as the servers it measured, more than the receiver's PostgreSQL. Its requests are
 * prepared and signed beforehand (bench/wrk-replay.lua replays them, each once), moments before
 * the round, well within Stripe's five-minute tolerance.
 */
const SCRIPT = path.join(__dirname, 'wrk-replay.lua');
/**
 * The prepared requests (up to ≈400 MB a round) in memory where Linux offers it: written to the
 * disk, their writeback came in bursts (≈400 MB in 4 s) during the full load, beside the
 * write-ahead log whose flushes the receiver's answers wait for.
 */
const MEMORY_DIR = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
/** Ahead of the rate the server has shown: a round must not run out of distinct events. */
const HEADROOM = 2;

/** `wrk -v` prints its version, then its usage for want of a URL, and exits 1; absent, it cannot start. */
export function wrkInstalled(): boolean {
  return spawnSync('wrk', ['-v'], { stdio: 'ignore' }).error === undefined;
}

export interface PreparedRequest {
  body: string;
  headers: Record<string, string>;
}

export interface Replayed {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  acceptedIds: string[];
  /** Requests sent beyond the prepared ones (repeats, so duplicates for the receiver): should be 0. */
  ranOut: number;
  /** Cores used while the load ran (wrk's file loading before it excluded). */
  cores: ReturnType<typeof coresBetween>;
}

/** How many requests to prepare for `seconds` at up to `rps`. */
export function enoughFor(rps: number, seconds: number, connections: number): number {
  return Math.ceil(rps * seconds * HEADROOM) + connections;
}

function rawRequest(url: URL, requestPath: string, { body, headers }: PreparedRequest): string {
  const lines = [`POST ${requestPath} HTTP/1.1`, `Host: ${url.host}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), `Content-Length: ${Buffer.byteLength(body)}`];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** The file bench/wrk-replay.lua reads: each request's length in bytes, a newline, the request. */
function writeRequests(file: string, target: URL, options: { requestPath: string; count: number; prepare: (i: number) => PreparedRequest }): void {
  const parts: string[] = [];
  for (let i = 0; i < options.count; i++) {
    const request = rawRequest(target, options.requestPath, options.prepare(i));
    parts.push(`${Buffer.byteLength(request)}\n${request}`);
  }
  writeFileSync(file, parts.join(''));
}

/**
 * Closed loop, `connections` at a time for `seconds`, each request one of `count` made by
 * `prepare(i)`, sent once, in order. The cores are sampled from wrk's first line (printed once its
 * threads hold their requests) to just before it stops.
 */
export async function replay(
  url: string,
  options: { requestPath: string; count: number; prepare: (i: number) => PreparedRequest; seconds: number; connections: number; serverPid: number },
): Promise<Replayed> {
  const dir = mkdtempSync(path.join(MEMORY_DIR, 'rebuttal-wrk-'));
  try {
    const requestsFile = path.join(dir, 'requests');
    const outcomeFile = path.join(dir, 'outcome');
    writeRequests(requestsFile, new URL(url), options);

    // Line-buffered, so its first line arrives when printed, not when it exits.
    const child = spawn('stdbuf', ['-oL', 'wrk', '-t1', `-c${options.connections}`, `-d${options.seconds}s`, '-s', SCRIPT, url, '--', requestsFile, outcomeFile], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let before: CpuSample | undefined;
    let cores: ReturnType<typeof coresBetween> | undefined;
    let stopTimer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      if (before || !text.includes('Running')) return;
      before = cpuSample();
      stopTimer = setTimeout(() => (cores = coresBetween(before!, cpuSample(), options.serverPid, child.pid!)), options.seconds * 1000 - 250);
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', resolve);
    });
    clearTimeout(stopTimer);
    if (code !== 0) throw new Error(`wrk exited with ${code}`);
    const [summary, ...ids] = readFileSync(outcomeFile, 'utf8').trimEnd().split('\n');
    const outcome = JSON.parse(summary!) as { requests: number; seconds: number; non2xx: number; socketErrors: number; ranOut: number; p50_ms: number; p99_ms: number };
    if (!cores) throw new Error('wrk ended before its load could be measured');
    return {
      rps: outcome.requests / outcome.seconds,
      p50: outcome.p50_ms,
      p99: outcome.p99_ms,
      non2xx: outcome.non2xx + outcome.socketErrors,
      acceptedIds: ids.filter(Boolean),
      ranOut: outcome.ranOut,
      cores,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
