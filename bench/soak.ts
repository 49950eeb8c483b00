import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { dropDatabase } from '../src/db/pool';
import { migrateDatabase } from '../src/db/migrate';
import { stripeSignatureHeader } from '../src/providers/stripe/sign';
import { freePort, rssMb } from './support';

/**
 * Soak: pushes SOAK_EVENTS (default 100k) Stripe events through one `npm start` process (receiver
 * and workers together) and reports its resident memory once 10k and once all of them have been
 * processed. A leak shows as growth between the two (aim: under 10%). Not a test: it takes
 * minutes. `node --import tsx bench/soak.ts`; ends with one JSON line.
 */

const ROOT = path.join(__dirname, '..');
const SECRET = 'whsec_bench_soak_0123456789';
const TOTAL = Number(process.env.SOAK_EVENTS ?? 100_000);
const CHECKPOINT = Math.min(10_000, TOTAL);
/** Events per dispute: updates of the same disputes, so the store grows by events, as in production. */
const PER_DISPUTE = 50;
const CONCURRENCY = 16;
const template = JSON.parse(readFileSync(path.join(ROOT, 'fixtures/stripe/charge.dispute.created.json'), 'utf8'));



const DISPUTES = Math.max(1, Math.floor(TOTAL / PER_DISPUTE));

/** Consecutive events go to different disputes, so concurrent workers do not queue on one dispute's row lock. */
function event(run: string, n: number): string {
  const disputeId = `du_soak_${run}_${n % DISPUTES}`;
  const dueBy = Math.floor(Date.now() / 1000) + 10 * 86_400;
  return JSON.stringify({
    ...template,
    id: `evt_soak_${run}_${n}`,
    type: n < DISPUTES ? 'charge.dispute.created' : 'charge.dispute.updated',
    created: template.created + n,
    data: { object: { ...template.data.object, id: disputeId, evidence_details: { ...template.data.object.evidence_details, due_by: dueBy } } },
  });
}

async function main(): Promise<void> {
  const run = randomBytes(4).toString('hex');
  const databaseUrl = `${process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432'}/rebuttal_soak_${run}`;
  await migrateDatabase(databaseUrl);
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/start.ts', 'all'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      QUEUE_PREFIX: `soak_${run}`,
      STRIPE_WEBHOOK_SECRETS: SECRET,
      ADMIN_TOKEN: 'bench-soak-admin-token-0123',
      RECONCILE_INTERVAL: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  // Interrupted: stop sending and waiting, so the cleanup below still runs.
  let aborted = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => (aborted = true));
  const goOn = () => {
    if (aborted) throw new Error('interrupted');
  };
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  const processed = async () => Number((await pool.query(`select count(*) from events where status = 'processed'`)).rows[0].count);
  const drained = async (count: number) => {
    while ((await processed()) < count) {
      goOn();
      await new Promise((r) => setTimeout(r, 500));
    }
  };
  try {
    for (let i = 0; i < 600; i++) {
      if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const started = Date.now();
    let next = 0;
    let non2xx = 0;
    const accepted = new Set<string>();
    const send = async (upTo: number) => {
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < upTo) {
            goOn();
            const n = next++;
            const body = event(run, n);
            for (;;) {
              goOn();
              const response = await fetch(`${url}/webhooks/stripe`, {
                method: 'POST',
                body,
                headers: { 'content-type': 'application/json', 'stripe-signature': stripeSignatureHeader(body, SECRET) },
              }).catch(() => undefined);
              if (response?.ok) {
                accepted.add(((await response.json()) as { eventId: string }).eventId);
                break;
              }
              non2xx += 1;
              await response?.arrayBuffer();
              await new Promise((r) => setTimeout(r, 100));
            }
          }
        }),
      );
    };

    await send(CHECKPOINT);
    await drained(CHECKPOINT);
    const rssAtCheckpoint = rssMb(child.pid!);
    console.log(`  ${CHECKPOINT} events processed in ${((Date.now() - started) / 1000).toFixed(0)} s: RSS ${rssAtCheckpoint} MB`);
    await send(TOTAL);
    await drained(TOTAL);
    const rssAtEnd = rssMb(child.pid!);
    const seconds = (Date.now() - started) / 1000;
    console.log(`  ${TOTAL} events processed in ${seconds.toFixed(0)} s (${(TOTAL / seconds).toFixed(0)}/s end to end): RSS ${rssAtEnd} MB`);
    const stored = Number((await pool.query('select count(*) from events where id = any($1::uuid[])', [[...accepted]])).rows[0].count);
    const growth = (rssAtEnd - rssAtCheckpoint) / rssAtCheckpoint;
    console.log(
      JSON.stringify({
        bench: 'soak',
        events: TOTAL,
        [`rss_${CHECKPOINT / 1000}k_mb`]: rssAtCheckpoint,
        [`rss_${TOTAL / 1000}k_mb`]: rssAtEnd,
        growth: Math.round(growth * 1000) / 1000,
        eventsPerSecond: Math.round(TOTAL / seconds),
        non2xx,
        lost: accepted.size - stored,
      }),
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await pool.end();
    await dropDatabase(databaseUrl);
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    for await (const keys of redis.scanStream({ match: `soak_${run}:*`, count: 1000 })) if ((keys as string[]).length) await redis.del(...(keys as string[]));
    redis.disconnect();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
