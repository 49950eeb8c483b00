import type { Queue } from 'bullmq';
import { ImportLine } from '../../src/evidence/records';
import { fixtureText } from '../support/fixtures';
import { adminHeaders, waitFor } from '../support/services';

/** The fixture order (fixtures/merchant/records.ndjson), optionally under another id and payment. */
export function fixtureOrder(overrides: { paymentIds?: string[] } = {}) {
  const line = fixtureText('merchant/records.ndjson').trim().split('\n').map((l) => ImportLine.parse(JSON.parse(l))).find((l) => l.type === 'order' && l.data.orderId === 'order-10511')!;
  const { orderId: _id, ...order } = line.data as typeof line.data & { orderId: string };
  return { ...order, ...overrides };
}

export async function putJson(url: string, body: unknown) {
  const response = await fetch(url, { method: 'PUT', headers: { ...adminHeaders(), 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as any };
}

/** Until the queues have nothing waiting, running or delayed (twice in a row: jobs beget jobs). */
export async function drained(queues: Queue[], timeoutMs = 30_000): Promise<void> {
  let quietOnce = false;
  await waitFor(async () => {
    const pending = (await Promise.all(queues.map((q) => q.getJobs(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'])))).flat();
    // The SOURCE_SYNC_INTERVAL scheduler always has its next run delayed: that is not work in flight.
    const busy = pending.some((job) => job && job.name !== 'sources.interval');
    if (busy) {
      quietOnce = false;
      return false;
    }
    if (quietOnce) return true;
    quietOnce = true;
    await new Promise((r) => setTimeout(r, 300));
    return false;
  }, timeoutMs, 'the queues to drain');
}
