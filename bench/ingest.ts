import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import IORedis from 'ioredis';
import { Client } from 'pg';
import { migrateDatabase } from '../src/db/migrate';
import { createDb, dropDatabase } from '../src/db/pool';
import { stripeSignatureHeader } from '../src/providers/stripe/sign';
import { coresBetween, cpuSample, freePort, rssMb } from './support';
import { enoughFor, replay, wrkInstalled, type PreparedRequest } from './wrk';
import { producerConnection } from '../src/queue/connection';
import { Queue } from 'bullmq';
import { QUEUES } from '../src/queue/names';

/**
 * Ingest throughput and latency of the real receiver (PostgreSQL + Redis) against two handlers
 * that only verify the same Stripe signature (bare node:http and bare Express) and one that also
 * group-commits each body to PostgreSQL before answering (the least a durable receiver does), all
 * measured here, now, on this machine; then webhook-to-dispute latency with the workers running,
 * and the receiver's RSS over a bounded run of 100k events.
 */
const ROOT = path.join(__dirname, '..');
const SECRET = 'whsec_bench_0123456789abcdef';
const POSTGRES = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** Full load: each server gets this many turns of SLICE_SECONDS, taken in turn. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SLICE_SECONDS = Math.max(1, Math.round(SECONDS / ROUNDS));
const TARGET_RPS = Number(process.env.BENCH_RATE ?? 500);
/** A rate the workers keep up with on a 2-core machine, for webhook → dispute without a backlog. */
const SUSTAINED_RPS = Number(process.env.BENCH_SUSTAINED_RATE ?? 100);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
/** The full load's generator: wrk where installed (why: bench/wrk.ts), else autocannon in this process. */
const LOAD_GENERATOR = process.env.BENCH_LOAD_GENERATOR ?? (wrkInstalled() ? 'wrk' : 'autocannon');
if (LOAD_GENERATOR !== 'wrk' && LOAD_GENERATOR !== 'autocannon') throw new Error(`BENCH_LOAD_GENERATOR must be wrk or autocannon, not ${LOAD_GENERATOR}`);
/** What wrk's warm-up round is prepared for, before a server has shown its rate. */
const WARMUP_RPS_GUESS = 25_000;
/** Load before each measured full-load run: pools opened, statements prepared, code optimized. */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const RSS_EVENTS = Number(process.env.BENCH_RSS_EVENTS ?? 100_000);
const RSS_FIRST = Math.min(10_000, RSS_EVENTS);
/** How long the workers get, after the last webhook, to reflect every event in its dispute. */
const REFLECT_TIMEOUT_MS = Number(process.env.BENCH_REFLECT_TIMEOUT_MS ?? 30_000);
const templateEventId = 'evt_1QkZrALzW8xYp1AaQ2w9xV3b';
const templateDisputeId = 'du_1QkZr9LzW8xYp1Aa5bHc2mPq';
const templateDueBy = '"due_by": 1795356311';
/**
 * The fixture's deadline is long past; a new dispute's is days ahead, and only then does the
 * alerts stage plan its reminders (delayed jobs) as it does in production.
 */
const template = withFutureDeadline(readFileSync(path.join(ROOT, 'fixtures/stripe/charge.dispute.created.json'), 'utf8'));

function withFutureDeadline(fixture: string): string {
  if (!fixture.includes(templateDueBy)) throw new Error(`the Stripe fixture no longer has ${templateDueBy}: update bench/ingest.ts`);
  return fixture.replace(templateDueBy, `"due_by": ${Math.floor(Date.now() / 1000) + 10 * 86_400}`);
}

/** A distinct event about a distinct dispute, signed as Stripe would send it. */
function signedEvent(key: string): PreparedRequest {
  const body = template.replace(templateEventId, `evt_bench_${key}`).replace(templateDisputeId, `du_bench_${key}`);
  return { body, headers: { 'content-type': 'application/json', 'stripe-signature': stripeSignatureHeader(body, SECRET) } };
}


interface Started {
  url: string;
  child: ChildProcess;
}

function launch(args: string[], env: Record<string, string>, port: number): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', STRIPE_WEBHOOK_SECRETS: SECRET, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function startServer(args: string[], env: Record<string, string>): Promise<Started> {
  const port = await freePort();
  const child = launch(args, env, port);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 900; i++) {
    const up = await fetch(`${url}/webhooks/stripe`, { method: 'POST', body: '{}' }).then(() => true, () => false);
    if (up) return { url, child };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${args.join(' ')} did not start`);
}

/** The workers, in their own process as `npm run start:worker` runs them; resolves once they listen. */
async function startWorkers(env: Record<string, string>): Promise<ChildProcess> {
  const child = launch(['src/start.ts', 'worker'], env, 0);
  const connection = producerConnection(REDIS_URL);
  const events = new Queue(QUEUES.events, { connection, prefix: env.QUEUE_PREFIX });
  try {
    for (let i = 0; i < 900; i++) {
      if (child.exitCode !== null) throw new Error('the workers exited');
      if ((await events.getWorkersCount().catch(() => 0)) > 0) return child;
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGKILL');
    throw new Error('the workers did not start');
  } finally {
    await events.close();
    connection.disconnect();
  }
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}


interface Run {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  acceptedIds: string[];
  /** our event id → when its 200 arrived (performance.now()) */
  answeredAt: Map<string, number>;
  /** Full load: the cores each kind of process used during the run. */
  cores?: ReturnType<typeof coresBetween>;
}

/** Closed loop, `CONNECTIONS` at a time (or autocannon's overallRate); each request a distinct, freshly signed event. */
function run(
  url: string,
  options: { overallRate?: number; runId: string; amount?: number; seconds?: number; onAnswered?: (count: number) => void },
): Promise<Run> {
  const acceptedIds: string[] = [];
  let counter = 0;
  let answered = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: options.overallRate ? 20 : CONNECTIONS,
        ...(options.amount ? { amount: options.amount } : { duration: options.seconds ?? SECONDS }),
        overallRate: options.overallRate,
        requests: [
          {
            method: 'POST',
            path: '/webhooks/stripe',
            setupRequest: (request) => ({ ...request, ...signedEvent(`${options.runId}_${counter++}`) }),
            onResponse: (status, body) => {
              if (status >= 200 && status < 300) {
                const eventId = (JSON.parse(body) as { eventId?: string }).eventId;
                if (eventId) acceptedIds.push(eventId);
              }
              options.onAnswered?.(++answered);
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
          answeredAt: new Map(),
        });
      },
    );
    autocannon.track(instance, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false });
  });
}

/** One server's turn at full load, with the cores each kind of process used meanwhile. */
async function fullLoad(target: Started, runId: string, seconds: number, expectedRps: number): Promise<Run> {
  if (LOAD_GENERATOR === 'autocannon') {
    const before = cpuSample();
    const measured = await run(target.url, { runId, seconds });
    return { ...measured, cores: coresBetween(before, cpuSample(), target.child.pid!) };
  }
  const replayed = await replay(target.url, {
    requestPath: '/webhooks/stripe',
    count: enoughFor(expectedRps, seconds, CONNECTIONS),
    prepare: (i) => signedEvent(`${runId}_${i}`),
    seconds,
    connections: CONNECTIONS,
    serverPid: target.child.pid!,
  });
  if (replayed.ranOut > 0) console.log(`  (${runId}: ran out of prepared events, ${replayed.ranOut} sent twice)`);
  return { ...replayed, answeredAt: new Map() };
}

/** The run of median throughput. */
function median(runs: Run[]): Run {
  return [...runs].sort((a, b) => a.rps - b.rps)[Math.floor(runs.length / 2)]!;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const round = (ms: number) => Number(ms.toFixed(2));

/**
 * Open-loop load at an even rate (autocannon's overallRate sends each second's quota as a burst).
 * Latency runs from when a request was due, not when it left, so a stalled sender is not hidden.
 */
async function paced(url: string, rate: number, seconds: number, runId: string): Promise<Run> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const target = new URL('/webhooks/stripe', url);
  const latencies: number[] = [];
  const acceptedIds: string[] = [];
  const answeredAt = new Map<string, number>();
  let failed = 0;
  const total = rate * seconds;
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const { body, headers } = signedEvent(`${runId}_${i}`);
    pending.push(
      new Promise<void>((resolve) => {
        const request = http.request(
          target,
          { method: 'POST', agent, headers },
          (response) => {
            let text = '';
            response.on('data', (c) => (text += c));
            response.on('end', () => {
              const now = performance.now();
              latencies.push(now - due);
              if (response.statusCode === 200) {
                const { eventId } = JSON.parse(text) as { eventId: string };
                acceptedIds.push(eventId);
                answeredAt.set(eventId, now);
              } else failed++;
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
  return { rps: total / elapsed, p50: round(percentile(latencies, 50)), p99: round(percentile(latencies, 99)), non2xx: failed, acceptedIds, answeredAt };
}

/**
 * Writes out what the phase before left in PostgreSQL's buffers, so that the paced phases are not
 * timed through the checkpoint forced by its write-ahead log (≈1 GB after the full-load rounds,
 * PostgreSQL's default max_wal_size): a steady 500 req/s writes a few MB a second and meets only
 * the timed checkpoints, spread over minutes.
 */
async function checkpoint(databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('checkpoint');
  } catch (err) {
    console.log(`  (no checkpoint between phases: ${(err as Error).message})`);
  } finally {
    await client.end();
  }
}

/**
 * Tells when each event's dispute row has been written: a trigger, in this throwaway bench
 * database only, notifies on every timeline entry; PostgreSQL delivers notifications at commit.
 */
async function watchDisputes(databaseUrl: string): Promise<{ reflectedAt: Map<string, number>; close(): Promise<void> }> {
  const client = new Client({ connectionString: databaseUrl });
  client.on('error', () => {
    // Dropping the bench database at the end ends this connection too.
  });
  await client.connect();
  await client.query(`create or replace function bench_timeline_written() returns trigger language plpgsql as $$
    begin perform pg_notify('bench_timeline', new.event_id::text); return new; end $$`);
  await client.query(`create or replace trigger bench_timeline_written after insert on dispute_timeline
    for each row execute function bench_timeline_written()`);
  const reflectedAt = new Map<string, number>();
  client.on('notification', (n) => {
    if (n.payload && !reflectedAt.has(n.payload)) reflectedAt.set(n.payload, performance.now());
  });
  await client.query('listen bench_timeline');
  return { reflectedAt, close: () => client.end() };
}

interface LiveHeap {
  mb: number;
  fullGcs: number;
}

/** The receiver's heap right after its latest full collection, and how many it has done (its /metrics). */
async function liveHeap(url: string, adminToken: string): Promise<LiveHeap> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${adminToken}` } })).text();
  const value = (line: RegExp) => Number(line.exec(text)?.[1] ?? NaN);
  return {
    mb: round(value(/^rebuttal_heap_live_bytes (\S+)$/m) / 1e6),
    fullGcs: value(/^rebuttal_nodejs_gc_duration_seconds_count\{kind="major"\} (\S+)$/m),
  };
}

export async function benchIngest(): Promise<Record<string, unknown>> {
  // Each phase has its own database and queues: the workers of the webhook → dispute phase must
  // not find the full-load phase's 100k+ unprocessed events (the outbox sweep would queue them).
  const phases = ['load', 'latency', 'rss'] as const;
  const suffix = randomBytes(4).toString('hex');
  const databases = Object.fromEntries(phases.map((phase) => [phase, `${POSTGRES}/rebuttal_bench_${phase}_${suffix}`])) as Record<(typeof phases)[number], string>;
  for (const url of Object.values(databases)) await migrateDatabase(url);
  const prefixOf = (phase: (typeof phases)[number]) => `bench-${phase}-${suffix}`;
  const prefixes = phases.map(prefixOf);
  const runId = randomBytes(3).toString('hex');
  const receiverEnv = (phase: (typeof phases)[number]) => ({
    DATABASE_URL: databases[phase],
    REDIS_URL,
    QUEUE_PREFIX: prefixOf(phase),
    ADMIN_TOKEN: randomBytes(16).toString('hex'),
  });
  const children: ChildProcess[] = [];
  const started = async (p: Promise<Started>) => {
    const s = await p;
    children.push(s.child);
    return s;
  };
  /** The event ids of every 2xx answer, a list per load (a full-load round of wrk answers 100k+). */
  const accepted: string[][] = [];
  try {
    console.log(
      `ingest: ${CONNECTIONS} connections, Stripe dispute events, each freshly signed and distinct; full load by ${LOAD_GENERATOR} in ${ROUNDS} interleaved rounds of ${SLICE_SECONDS}s per server`,
    );
    // All three listen at once and take turns, so a neighbour's burst on a shared machine hits each of them alike.
    const targets = {
      receiver: await started(startServer(['src/start.ts', 'receiver'], receiverEnv('load'))),
      http: await started(startServer(['bench/baseline-server.ts', 'http'], {})),
      express: await started(startServer(['bench/baseline-server.ts', 'express'], {})),
      durable: await started(startServer(['bench/baseline-server.ts', 'durable'], { DATABASE_URL: databases.load })),
    };
    const rounds: Record<keyof typeof targets, Run[]> = { http: [], express: [], durable: [], receiver: [] };
    // The fastest each has gone so far (its warm-up, then its best round): enough events are prepared for wrk's next round.
    const fastest = new Map<keyof typeof targets, number>();
    const turn = async (name: keyof typeof targets, key: string, seconds: number) => {
      const measured = await fullLoad(targets[name], key, seconds, fastest.get(name) ?? WARMUP_RPS_GUESS);
      fastest.set(name, Math.max(fastest.get(name) ?? 0, measured.rps));
      return measured;
    };
    const names = Object.keys(targets) as Array<keyof typeof targets>;
    if (WARMUP_SECONDS > 0) for (const name of names) await turn(name, `${runId}${name}w`, WARMUP_SECONDS);
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of names) rounds[name].push(await turn(name, `${runId}${name}${round}`, SLICE_SECONDS));
    }
    await checkpoint(databases.load);
    // The machine's floor for the open-loop figure: the bare verifier at the same even rate.
    const bareSteady = await paced(targets.http.url, TARGET_RPS, Math.max(1, Math.round(SECONDS / 2)), `${runId}hp`);
    await stopProcess(targets.http.child);
    await stopProcess(targets.express.child);
    await stopProcess(targets.durable.child);
    const bareHttpRun = median(rounds.http);
    const bareExpressRun = median(rounds.express);
    const bareDurableRun = median(rounds.durable);
    const max = median(rounds.receiver);
    const receiver = targets.receiver;
    const ratio = max.rps / bareHttpRun.rps;
    const expressRatio = max.rps / bareExpressRun.rps;
    const each = (runs: Run[]) => runs.map((r) => r.rps.toFixed(0)).join(', ');
    // What bounds each server: a process near one core is bound by its own thread; none near it, by waiting.
    const coresLine = (name: string, r: Run) =>
      console.log(
        `    cores in its median round: ${name} ${r.cores!.server}, load generator ${r.cores!.loadGenerator}, PostgreSQL ${r.cores!.postgres}, Redis ${r.cores!.redis}; machine ${r.cores!.machine} of ${availableParallelism()}`,
      );
    console.log(`  baseline, bare node:http + signature check: ${bareHttpRun.rps.toFixed(0)} req/s (rounds ${each(rounds.http)}), p99 ${bareHttpRun.p99} ms`);
    coresLine('server', bareHttpRun);
    console.log(`  baseline, bare Express + signature check:   ${bareExpressRun.rps.toFixed(0)} req/s (rounds ${each(rounds.express)}), p99 ${bareExpressRun.p99} ms`);
    coresLine('server', bareExpressRun);
    console.log(
      `  baseline, bare node:http + signature check + group-committed INSERT (no queue, no log): ${bareDurableRun.rps.toFixed(0)} req/s (rounds ${each(rounds.durable)}; ${(bareDurableRun.rps / bareHttpRun.rps).toFixed(2)}× node:http), p99 ${bareDurableRun.p99} ms`,
    );
    coresLine('server', bareDurableRun);
    console.log(
      `  receiver at full load: ${max.rps.toFixed(0)} req/s (rounds ${each(rounds.receiver)}; ${ratio.toFixed(2)}× node:http, ${expressRatio.toFixed(2)}× Express, ${(max.rps / bareDurableRun.rps).toFixed(2)}× the durable baseline), p50 ${max.p50} ms, p99 ${max.p99} ms, non-2xx ${rounds.receiver.reduce((n, r) => n + r.non2xx, 0)}`,
    );
    coresLine('receiver', max);
    const steady = await paced(receiver.url, TARGET_RPS, SECONDS, `${runId}p`);
    console.log(
      `  receiver at an even ${TARGET_RPS} req/s (open loop): p50 ${steady.p50} ms, p99 ${steady.p99} ms, non-2xx ${steady.non2xx} (bare node:http at the same rate: p50 ${bareSteady.p50} ms, p99 ${bareSteady.p99} ms)`,
    );
    const bursts = await run(receiver.url, { overallRate: TARGET_RPS, runId: `${runId}a` });
    console.log(`  receiver, autocannon overallRate ${TARGET_RPS} (per-second bursts): p50 ${bursts.p50} ms, p99 ${bursts.p99} ms, non-2xx ${bursts.non2xx}`);
    await stopProcess(receiver.child);
    accepted.push(...rounds.receiver.map((r) => r.acceptedIds), steady.acceptedIds, bursts.acceptedIds);

    // Webhook to dispute: receiver and workers in their own processes, as `start:receiver` and `start:worker`.
    await checkpoint(databases.latency);
    const watch = await watchDisputes(databases.latency);
    const flowing = await started(startServer(['src/start.ts', 'receiver'], receiverEnv('latency')));
    const workers = await startWorkers(receiverEnv('latency'));
    children.push(workers);
    const reflected = async (ids: string[]) => {
      const deadline = Date.now() + REFLECT_TIMEOUT_MS;
      while (Date.now() < deadline && ids.some((id) => !watch.reflectedAt.has(id))) await new Promise((r) => setTimeout(r, 100));
    };
    const toDispute = async (rate: number, seconds: number, key: string) => {
      const flow = await paced(flowing.url, rate, seconds, `${runId}${key}`);
      await reflected(flow.acceptedIds);
      const ms = flow.acceptedIds.flatMap((id) => (watch.reflectedAt.has(id) ? [watch.reflectedAt.get(id)! - flow.answeredAt.get(id)!] : []));
      ms.sort((a, b) => a - b);
      // How fast the workers turned events into disputes: from the first 200 to the last event reflected.
      const reflectedIds = flow.acceptedIds.filter((id) => watch.reflectedAt.has(id));
      const firstAnswer = Math.min(...flow.answeredAt.values());
      const lastReflected = Math.max(...reflectedIds.map((id) => watch.reflectedAt.get(id)!));
      const perSecond = Math.round(reflectedIds.length / ((lastReflected - firstAnswer) / 1000));
      const figures = { rate, p50: round(percentile(ms, 50)), p99: round(percentile(ms, 99)), unreflected: flow.acceptedIds.length - ms.length, webhookP99: flow.p99, perSecond };
      console.log(
        `  webhook → dispute at an even ${rate} req/s, workers running: p50 ${figures.p50} ms, p99 ${figures.p99} ms, not reflected within ${REFLECT_TIMEOUT_MS / 1000}s of the last ${figures.unreflected}; the workers reflected ${perSecond} events/s; the webhooks meanwhile p99 ${flow.p99} ms`,
      );
      return figures;
    };
    if (WARMUP_SECONDS > 0) await reflected((await paced(flowing.url, SUSTAINED_RPS, 1, `${runId}dw`)).acceptedIds);
    // First at a rate the workers keep up with on a small machine, then at the target rate.
    const sustained = await toDispute(SUSTAINED_RPS, Math.max(1, Math.round(SECONDS / 2)), 'ds');
    const target = await toDispute(TARGET_RPS, SECONDS, 'dt');
    await stopProcess(workers);
    await stopProcess(flowing.child);
    await watch.close();

    // RSS: a fresh receiver, a bounded run of RSS_EVENTS deliveries at full load.
    const rssEnv = receiverEnv('rss');
    const measured = await started(startServer(['src/start.ts', 'receiver'], rssEnv));
    // The live heap after each full collection: polled from /metrics, kept when the count moved.
    const fullCollections: Array<LiveHeap & { at: number }> = [];
    const pollHeap = async (at: number) => {
      const heap = await liveHeap(measured.url, rssEnv.ADMIN_TOKEN).catch(() => undefined);
      if (heap && heap.fullGcs > (fullCollections.at(-1)?.fullGcs ?? 0)) fullCollections.push({ ...heap, at });
    };
    const polls: Promise<void>[] = [];
    // RSS saws up and down with the garbage collector: each figure is the median of the samples
    // (one every 500 answers) over the last tenth of the events up to that mark.
    const samples: Array<{ at: number; mb: number }> = [];
    const rssRun = await run(measured.url, {
      runId: `${runId}r`,
      amount: RSS_EVENTS,
      onAnswered: (count) => {
        if (count % 500 === 0) samples.push({ at: count, mb: rssMb(measured.child.pid!) });
        if (count % 2_000 === 0) polls.push(pollHeap(count));
      },
    });
    await Promise.all(polls);
    await pollHeap(RSS_EVENTS);
    await stopProcess(measured.child);
    const [heapFirst, heapLast] = [fullCollections[0], fullCollections.at(-1)];
    const heapGrowth = heapFirst && heapLast ? (heapLast.mb - heapFirst.mb) / heapFirst.mb : NaN;
    accepted.push(rssRun.acceptedIds);
    const rssAt = (mark: number) => {
      const window = samples.filter((s) => s.at > mark * 0.9 && s.at <= mark).map((s) => s.mb).sort((a, b) => a - b);
      return window[Math.floor(window.length / 2)] ?? NaN;
    };
    const [rssFirst, rssLast] = [rssAt(RSS_FIRST), rssAt(RSS_EVENTS)];
    const rssPeak = Math.max(...samples.map((s) => s.mb));
    const rssGrowth = (rssLast - rssFirst) / rssFirst;
    const curve = samples.filter((s) => s.at % Math.max(500, Math.round(RSS_EVENTS / 10)) === 0).map((s) => `${s.at / 1000}k ${s.mb.toFixed(0)}`);
    console.log(
      `  receiver RSS: ${rssFirst} MB at ${RSS_FIRST} events, ${rssLast} MB at ${RSS_EVENTS} (${(rssGrowth * 100).toFixed(1)}%), peak ${rssPeak} MB, at ${rssRun.rps.toFixed(0)} req/s, non-2xx ${rssRun.non2xx}; along the run (MB): ${curve.join(', ')}`,
    );

    console.log(
      `  receiver live heap after each full collection (/metrics, polled every 2,000 answers): ${fullCollections.map((h) => `${h.mb} MB by ${h.at / 1000}k`).join(', ') || 'no full collection'}; first to last ${(heapGrowth * 100).toFixed(1)}%`,
    );

    const storedIds = new Set<string>();
    let duplicatesCreated = 0;
    for (const url of Object.values(databases)) {
      const db = createDb(url, { max: 2 });
      const rows = await db.selectFrom('events').select(['id', 'provider_event_id']).execute();
      await db.destroy();
      for (const row of rows) storedIds.add(row.id);
      // The unique constraint should make this 0: rows beyond one per provider event id.
      duplicatesCreated += rows.length - new Set(rows.map((r) => r.provider_event_id)).size;
    }
    const answered = accepted.flat();
    const lost = answered.filter((id) => !storedIds.has(id)).length;
    console.log(`  2xx answers ${answered.length}, rows stored ${storedIds.size}, lost ${lost}, duplicates ${duplicatesCreated}`);
    return {
      bench: 'ingest',
      provider: 'stripe',
      loadGenerator: LOAD_GENERATOR,
      rps: Math.round(max.rps),
      p50_ms: steady.p50,
      p99_ms: steady.p99,
      atRps: TARGET_RPS,
      burstP99_ms: bursts.p99,
      baselineRps: Math.round(bareHttpRun.rps),
      ratio: Number(ratio.toFixed(3)),
      expressRps: Math.round(bareExpressRun.rps),
      expressRatio: Number(expressRatio.toFixed(3)),
      durableRps: Math.round(bareDurableRun.rps),
      durableToHttp: Number((bareDurableRun.rps / bareHttpRun.rps).toFixed(3)),
      durableRatio: Number((max.rps / bareDurableRun.rps).toFixed(3)),
      coresAtFullLoad: { http: bareHttpRun.cores, express: bareExpressRun.cores, durable: bareDurableRun.cores, receiver: max.cores },
      disputeP50_ms: target.p50,
      disputeP99_ms: target.p99,
      disputeUnreflected: target.unreflected,
      disputeReflectedPerSecond: target.perSecond,
      p99WithWorkers_ms: target.webhookP99,
      sustainedRps: SUSTAINED_RPS,
      sustainedDisputeP50_ms: sustained.p50,
      sustainedDisputeP99_ms: sustained.p99,
      baselineP99_ms: bareSteady.p99,
      rssAt10k_mb: rssFirst,
      rssAt100k_mb: rssLast,
      rssPeak_mb: rssPeak,
      rssEvents: RSS_EVENTS,
      rssGrowth: Number(rssGrowth.toFixed(3)),
      liveHeapFirst_mb: heapFirst?.mb ?? null,
      liveHeapLast_mb: heapLast?.mb ?? null,
      liveHeapGrowth: Number.isFinite(heapGrowth) ? Number(heapGrowth.toFixed(3)) : null,
      fullGcs: heapLast?.fullGcs ?? 0,
      lost,
      duplicatesCreated,
    };
  } finally {
    await Promise.all(children.map(stopProcess));
    // Not the producers' fail-fast connection: its first commands would be refused before it is ready.
    const connection = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
    for (const prefix of prefixes) {
      for (const name of Object.values(QUEUES)) {
        await new Queue(name, { connection, prefix }).obliterate({ force: true }).catch((err: unknown) => console.warn(`could not empty ${prefix}:${name}: ${String(err)}`));
      }
    }
    connection.disconnect();
    for (const url of Object.values(databases)) await dropDatabase(url);
  }
}
