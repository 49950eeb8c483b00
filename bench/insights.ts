import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import express from 'express';
import { sql } from 'kysely';
import { migrateDatabase } from '../src/db/migrate';
import type { Pool } from 'pg';
import { createDb, dropDatabase, poolOf, type Db } from '../src/db/pool';
import { insightsApi } from '../src/http/api/insights';
import type { DisputeFees } from '../src/insights/model';

/**
 * GET /api/insights over 100k disputes opened in the last 90 days (the default range, so every
 * one of them counts), with the submissions and packets the pipeline leaves, in a throwaway
 * database. The route runs in-process, as the receiver mounts it; timed over HTTP.
 */
const POSTGRES = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
const DISPUTES = Number(process.env.BENCH_INSIGHTS_DISPUTES ?? 100_000);
const RUNS = 20;
const LIMIT_MS = 200;
const FEES: DisputeFees = { stripe: { value: 1500, currency: 'USD' }, paypal: { value: 2000, currency: 'USD' } };

async function seed(pool: Db, disputes: number): Promise<void> {
  await pool.connection().execute(async (db) => {
  await sql`set statement_timeout = 0`.execute(db); // seeding takes longer than the pool's 10 s limit
  // Statuses in a realistic mix; about two in three disputes were answered with evidence.
  await sql`
    insert into disputes (provider, provider_dispute_id, provider_payment_id, amount_value, amount_currency, reason,
      provider_reason, status, provider_status, stage, due_by, opened_at, updated_at, evidence_completeness, outcome)
    select (array['stripe', 'paypal', 'square'])[1 + i % 3], 'du_bench_' || i, 'ch_bench_' || i,
      500 + (i * 7919) % 50000, (array['USD', 'EUR', 'JPY', 'GBP'])[1 + i % 4],
      (array['fraud', 'product_not_received', 'product_unacceptable', 'credit_not_processed', 'duplicate',
             'subscription_canceled', 'incorrect_amount', 'paid_by_other_means', 'general'])[1 + (i / 3) % 9],
      'bench', s.status, s.status, case when i % 10 = 0 then 'inquiry' else 'chargeback' end,
      o.opened + interval '14 days', o.opened, o.opened, ((i * 13) % 101) / 100.0,
      case when s.status in ('won', 'lost', 'accepted') then s.status end
    from generate_series(1, ${disputes}) i
    cross join lateral (select now() - (i % 89) * interval '1 day' - (i % 23) * interval '1 hour' as opened) o
    cross join lateral (select (array['won', 'won', 'lost', 'lost', 'accepted', 'needs_response', 'under_review', 'closed', 'won', 'lost'])[1 + (i * 7) % 10] as status) s
  `.execute(db);
  // One or two packets each (about 1 kB, like the real ones), the newest before the submission.
  await sql`
    insert into packets (dispute_id, hash, packet, created_at)
    select d.id, 'h' || n, jsonb_build_object('reason', d.reason, 'completeness', round((d.evidence_completeness * n / 2)::numeric, 2),
        'missing', jsonb_build_array('tracking_number'), 'letter', repeat(md5(d.id::text || n), 30)),
      d.opened_at + n * interval '3 hours'
    from disputes d cross join generate_series(1, 2) n
    where d.status <> 'needs_response' and (n = 2 or hashtext(d.id::text) % 2 = 0)
  `.execute(db);
  await sql`
    insert into submissions (dispute_id, kind, status, requested_by, attempts, created_at, updated_at, sent_at)
    select id, case when status = 'accepted' then 'accept' else 'submit' end, 'sent', 'staff', 1,
      opened_at + interval '7 hours', opened_at + interval '7 hours', opened_at + interval '7 hours' + (abs(hashtext(id::text)) % 90) * interval '1 hour'
    from disputes where status in ('won', 'lost', 'accepted', 'under_review')
  `.execute(db);
  // What each sending recorded: the completeness of the newest packet stored by then.
  await sql`
    update submissions s set completeness = (
      select p.completeness from packets p where p.dispute_id = s.dispute_id and p.created_at <= s.sent_at
      order by p.created_at desc limit 1)
    where s.kind = 'submit'
  `.execute(db);
  // As autovacuum leaves a table that has been in use: statistics and the visibility map (index-only scans).
  await sql`vacuum analyze disputes, submissions, packets`.execute(db);
  });
}

function percentile(sorted: number[], p: number): number {
  return Number(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!.toFixed(1));
}

/**
 * CPU seconds PostgreSQL spent on each statement (log_statement_stats, sent to the client), so
 * the figure can be read apart from how busy the shared machine was while the clock ran.
 */
class BackendCpu {
  private ms = 0;
  attach(pool: Pool): void {
    pool.on('connect', (client) => {
      client.on('notice', (notice) => {
        const match = /([\d.]+) s user, ([\d.]+) s system, [\d.]+ s elapsed/.exec(notice.detail ?? '');
        if (match) this.ms += (Number(match[1]) + Number(match[2])) * 1000;
      });
    });
  }
  take(): number {
    const spent = this.ms;
    this.ms = 0;
    return spent;
  }
}

interface Timing {
  p50: number;
  max: number;
  dbCpuP50: number;
}

async function time(url: string, cpu: BackendCpu): Promise<Timing> {
  const wall: number[] = [];
  const backend: number[] = [];
  for (let i = 0; i < RUNS + 3; i++) {
    cpu.take();
    const started = performance.now();
    const response = await fetch(url);
    const body = await response.text();
    if (!response.ok) throw new Error(`${url} answered ${response.status}: ${body}`);
    if (i < 3) continue; // the first three warm caches and plans
    wall.push(performance.now() - started);
    backend.push(cpu.take());
  }
  wall.sort((a, b) => a - b);
  backend.sort((a, b) => a - b);
  return { p50: percentile(wall, 50), max: percentile(wall, 100), dbCpuP50: percentile(backend, 50) };
}

export async function benchInsights(): Promise<Record<string, unknown>> {
  const databaseUrl = `${POSTGRES}/rebuttal_bench_${randomBytes(4).toString('hex')}`;
  await migrateDatabase(databaseUrl);
  const seeding = createDb(databaseUrl, { max: 1 });
  const started = performance.now();
  try {
    await seed(seeding, DISPUTES);
    console.log(`insights: ${DISPUTES} disputes over the last 90 days seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const database = new URL(databaseUrl).pathname.slice(1);
    await sql`alter database ${sql.id(database)} set log_statement_stats = on`.execute(seeding);
    await sql`alter database ${sql.id(database)} set client_min_messages = log`.execute(seeding);
  } finally {
    await seeding.destroy();
  }

  const db = createDb(databaseUrl, { max: 4 });
  const cpu = new BackendCpu();
  cpu.attach(poolOf(db));
  const server = await new Promise<Server>((resolve) => {
    const listening = express().use(insightsApi({ db, fees: FEES })).listen(0, '127.0.0.1', () => resolve(listening));
  });
  try {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const load = os.loadavg()[0]!.toFixed(1);
    const all = await time(`${base}/insights`, cpu);
    console.log(`  GET /api/insights (default range, all providers): p50 ${all.p50} ms, max ${all.max} ms over ${RUNS} calls; PostgreSQL CPU p50 ${all.dbCpuP50} ms`);
    const one = await time(`${base}/insights?provider=stripe`, cpu);
    console.log(`  GET /api/insights?provider=stripe: p50 ${one.p50} ms, max ${one.max} ms; PostgreSQL CPU p50 ${one.dbCpuP50} ms`);
    const days30 = await time(`${base}/insights?from=${new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10)}`, cpu);
    console.log(`  GET /api/insights?from=<30 days ago> (a third of them): p50 ${days30.p50} ms, max ${days30.max} ms; PostgreSQL CPU p50 ${days30.dbCpuP50} ms`);
    console.log(`  machine load average ${load} on ${os.cpus().length} cores when the timing began`);
    const csvStarted = performance.now();
    const csv = await (await fetch(`${base}/insights.csv`)).text();
    const csvMs = Math.round(performance.now() - csvStarted);
    console.log(`  GET /api/insights.csv: ${csv.split('\r\n').length - 2} rows, ${(csv.length / 1e6).toFixed(1)} MB in ${csvMs} ms`);
    return {
      bench: 'insights',
      disputes: DISPUTES,
      p50_ms: all.p50,
      max_ms: all.max,
      dbCpuP50_ms: all.dbCpuP50,
      providerP50_ms: one.p50,
      last30DaysP50_ms: days30.p50,
      limitMs: LIMIT_MS,
      withinLimit: all.p50 < LIMIT_MS && one.p50 < LIMIT_MS,
      loadAverage: Number(load),
      csvMs,
    };
  } finally {
    server.close();
    await db.destroy();
    await dropDatabase(databaseUrl);
  }
}
