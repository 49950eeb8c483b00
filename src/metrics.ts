import { PerformanceObserver, constants } from 'node:perf_hooks';
import v8 from 'node:v8';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Heap in use right after the latest full collection (0 before the first); one observer per process. */
let heapAfterFullGc = 0;
let watchingFullGcs = false;
function watchFullGcs(): void {
  if (watchingFullGcs) return;
  watchingFullGcs = true;
  new PerformanceObserver((list) => {
    if (list.getEntries().some((entry) => (entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR)) {
      heapAfterFullGc = v8.getHeapStatistics().used_heap_size;
    }
  }).observe({ entryTypes: ['gc'] });
}

export interface QueueDepthSource {
  name: string;
  counts(): Promise<Record<string, number>>;
}

export function createMetrics(
  queues: () => QueueDepthSource[] = () => [],
  reconcileFound: () => Promise<Array<{ provider: string; total: number }>> = async () => [],
) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'rebuttal_' });
  watchFullGcs();
  new Gauge({
    name: 'rebuttal_heap_live_bytes',
    help: 'V8 heap in use right after the latest full garbage collection (0 until the first): the live set, without the garbage RSS saws with; growth over time is a leak',
    registers: [registry],
    collect() {
      this.set(heapAfterFullGc);
    },
  });
  const webhooks = new Counter({
    name: 'rebuttal_webhooks_total',
    help: 'Webhook deliveries by provider and outcome',
    labelNames: ['provider', 'outcome'],
    registers: [registry],
  });
  const webhookSeconds = new Histogram({
    name: 'rebuttal_webhook_duration_seconds',
    help: 'Time from request to answer for webhook deliveries',
    labelNames: ['provider'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const ingestBatchSize = new Histogram({
    name: 'rebuttal_ingest_batch_size',
    help: 'Webhook deliveries committed together in one PostgreSQL transaction',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
    registers: [registry],
  });
  new Gauge({
    name: 'rebuttal_queue_jobs',
    help: 'Jobs per queue and state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const source of queues()) {
        const counts = await source.counts().catch(() => ({}) as Record<string, number>);
        for (const [state, value] of Object.entries(counts)) this.set({ queue: source.name, state }, value);
      }
    },
  });
  new Counter({
    name: 'rebuttal_reconcile_found_total',
    help: 'Disputes (or changes) reconciliation found that no webhook delivered, by provider',
    labelNames: ['provider'],
    registers: [registry],
    // Counted in PostgreSQL: whichever process ran the reconciliation, every /metrics tells the whole count.
    async collect() {
      const totals = await reconcileFound().catch(() => []);
      this.reset();
      for (const { provider, total } of totals) this.inc({ provider }, total);
    },
  });
  return { registry, webhooks, webhookSeconds, ingestBatchSize };
}

export type Metrics = ReturnType<typeof createMetrics>;
