import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import autocannon from 'autocannon';
import { migrateDatabase } from '../src/db/migrate';
import { createDb, dropDatabase } from '../src/db/pool';
import { stripeSignatureHeader } from '../src/providers/stripe/sign';
import { producerConnection } from '../src/queue/connection';
import { Queue } from 'bullmq';
import { QUEUES } from '../src/queue/names';

/**
 * Ingest throughput and latency of the real receiver (PostgreSQL + Redis) against a bare Express
 * handler that only verifies the same Stripe signature, both measured here, now, on this machine.
 */
const ROOT = path.join(__dirname, '..');
const SECRET = 'whsec_bench_0123456789abcdef';
const POSTGRES = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const TARGET_RPS = Number(process.env.BENCH_RATE ?? 500);
const template = readFileSync(path.join(ROOT, 'fixtures/stripe/charge.dispute.created.json'), 'utf8');
const templateId = 'evt_1QkZrALzW8xYp1AaQ2w9xV3b';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startProcess(args: string[], env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', STRIPE_WEBHOOK_SECRETS: SECRET, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    const up = await fetch(`${url}/webhooks/stripe`, { method: 'POST', body: '{}' }).then(() => true, () => false);
    if (up) return { url, child };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${args.join(' ')} did not start`);
}

interface Run {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  acceptedIds: string[];
}

/** Each request is a distinct, freshly signed dispute event, as a provider would send. */
function run(url: string, options: { overallRate?: number; runId: string }): Promise<Run> {
  const acceptedIds: string[] = [];
  let counter = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: options.overallRate ? 20 : 50,
        duration: SECONDS,
        overallRate: options.overallRate,
        requests: [
          {
            method: 'POST',
            path: '/webhooks/stripe',
            setupRequest: (request) => {
              const body = template.replace(templateId, `evt_bench_${options.runId}_${counter++}`);
              return {
                ...request,
                body,
                headers: { 'content-type': 'application/json', 'stripe-signature': stripeSignatureHeader(body, SECRET) },
              };
            },
            onResponse: (status, body) => {
              if (status >= 200 && status < 300) {
                const eventId = (JSON.parse(body) as { eventId?: string }).eventId;
                if (eventId) acceptedIds.push(eventId);
              }
            },
          },
        ],
      },
      (err, result) => {
        if (err) return reject(err);
        resolve({
          rps: result.requests.average,
          p50: result.latency.p50,
          p99: result.latency.p99,
          non2xx: result.non2xx + result.errors + result.timeouts,
          acceptedIds,
        });
      },
    );
    autocannon.track(instance, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false });
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * Open-loop load at an even rate (autocannon's overallRate sends each second's quota as a burst).
 * Latency runs from when a request was due, not when it left, so a stalled sender is not hidden.
 */
async function paced(url: string, rate: number, seconds: number, runId: string): Promise<Run> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const target = new URL('/webhooks/stripe', url);
  const latencies: number[] = [];
  const acceptedIds: string[] = [];
  let failed = 0;
  const total = rate * seconds;
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const body = template.replace(templateId, `evt_bench_${runId}_${i}`);
    pending.push(
      new Promise<void>((resolve) => {
        const request = http.request(
          target,
          { method: 'POST', agent, headers: { 'content-type': 'application/json', 'stripe-signature': stripeSignatureHeader(body, SECRET) } },
          (response) => {
            let text = '';
            response.on('data', (c) => (text += c));
            response.on('end', () => {
              latencies.push(performance.now() - due);
              if (response.statusCode === 200) acceptedIds.push((JSON.parse(text) as { eventId: string }).eventId);
              else failed++;
              resolve();
            });
          },
        );
        request.on('error', () => {
          failed++;
          resolve();
        });
        request.end(body);
      }),
    );
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const round = (ms: number) => Number(ms.toFixed(2));
  return { rps: total / elapsed, p50: round(percentile(latencies, 50)), p99: round(percentile(latencies, 99)), non2xx: failed, acceptedIds };
}

export async function benchIngest(): Promise<Record<string, unknown>> {
  const databaseUrl = `${POSTGRES}/rebuttal_bench_${randomBytes(4).toString('hex')}`;
  const queuePrefix = `bench-${randomBytes(4).toString('hex')}`;
  await migrateDatabase(databaseUrl);
  const runId = randomBytes(3).toString('hex');

  const baseline = await startProcess(['bench/baseline-server.ts'], {});
  const receiver = await startProcess(['src/start.ts', 'receiver'], {
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    QUEUE_PREFIX: queuePrefix,
    ADMIN_TOKEN: randomBytes(16).toString('hex'),
  });
  try {
    console.log(`ingest: ${SECONDS}s per phase, Stripe dispute events, each freshly signed and distinct`);
    const base = await run(baseline.url, { runId: `${runId}b` });
    console.log(`  baseline (bare Express + signature check): ${base.rps.toFixed(0)} req/s, p50 ${base.p50} ms, p99 ${base.p99} ms`);
    const max = await run(receiver.url, { runId: `${runId}m` });
    console.log(`  receiver at full load:   ${max.rps.toFixed(0)} req/s, p50 ${max.p50} ms, p99 ${max.p99} ms, non-2xx ${max.non2xx}`);
    const steady = await paced(receiver.url, TARGET_RPS, SECONDS, `${runId}p`);
    console.log(`  receiver at an even ${TARGET_RPS} req/s: p50 ${steady.p50} ms, p99 ${steady.p99} ms, non-2xx ${steady.non2xx}`);
    const bursts = await run(receiver.url, { overallRate: TARGET_RPS, runId: `${runId}a` });
    console.log(`  receiver, autocannon overallRate ${TARGET_RPS} (per-second bursts): p50 ${bursts.p50} ms, p99 ${bursts.p99} ms, non-2xx ${bursts.non2xx}`);

    const db = createDb(databaseUrl, { max: 2 });
    const accepted = [...max.acceptedIds, ...steady.acceptedIds, ...bursts.acceptedIds];
    const stored = await db.selectFrom('events').select(['id', 'provider_event_id']).execute();
    await db.destroy();
    const storedIds = new Set(stored.map((r) => r.id));
    const rows = stored.length;
    const lost = accepted.filter((id) => !storedIds.has(id)).length;
    // The unique constraint should make this 0: rows beyond one per provider event id.
    const duplicatesCreated = rows - new Set(stored.map((r) => r.provider_event_id)).size;
    console.log(`  2xx answers ${accepted.length}, rows stored ${rows}, lost ${lost}, duplicates ${duplicatesCreated}`);
    return {
      bench: 'ingest',
      provider: 'stripe',
      rps: Math.round(max.rps),
      p50_ms: steady.p50,
      p99_ms: steady.p99,
      atRps: TARGET_RPS,
      burstP99_ms: bursts.p99,
      baselineRps: Math.round(base.rps),
      ratio: Number((max.rps / base.rps).toFixed(3)),
      lost,
      duplicatesCreated,
    };
  } finally {
    baseline.child.kill('SIGTERM');
    receiver.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    const connection = producerConnection(REDIS_URL);
    await new Queue(QUEUES.events, { connection, prefix: queuePrefix }).obliterate({ force: true }).catch(() => undefined);
    connection.disconnect();
    await dropDatabase(databaseUrl);
  }
}
