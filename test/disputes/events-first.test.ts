import { Worker } from 'bullmq';
import { workerConnection } from '../../src/queue/connection';
import { EventsFirst } from '../../workers/events-first';
import { REDIS_URL, uniqueName, waitFor } from '../support/services';

/** An events job the test finishes when it wants. */
function heldJob(priority: EventsFirst): () => void {
  let finish!: () => void;
  void priority.track(() => new Promise<void>((resolve) => (finish = resolve)));
  return finish;
}

describe('the stages after the events stage give way to it under a burst (real BullMQ workers)', () => {
  const prefix = uniqueName('events_first');
  let downstream: Worker[];

  beforeAll(() => {
    downstream = ['evidence', 'alerts'].map(
      (name, i) => new Worker(name, async () => undefined, { connection: workerConnection(REDIS_URL), prefix, concurrency: 4 + i, autorun: false }),
    );
  });
  afterAll(async () => {
    await Promise.all(downstream.map((w) => w.close()));
  });

  it('take one job at a time while the events stage holds 8 jobs, and their own concurrency once it has kept up for a second', async () => {
    const priority = new EventsFirst();
    priority.giveWay(downstream);
    const finishers = Array.from({ length: 7 }, () => heldJob(priority));
    expect(downstream.map((w) => w.concurrency)).toEqual([4, 5]);

    finishers.push(heldJob(priority));
    expect(downstream.map((w) => w.concurrency)).toEqual([1, 1]);

    // Down to 3 held: still a backlog.
    finishers.splice(0, 5).forEach((finish) => finish());
    await new Promise((r) => setTimeout(r, 1_200));
    expect(downstream.map((w) => w.concurrency)).toEqual([1, 1]);

    const clearedAt = Date.now();
    finishers.splice(0, 1).forEach((finish) => finish());
    await waitFor(async () => downstream.every((w, i) => w.concurrency === 4 + i), 5_000, 'downstream concurrency restored');
    expect(Date.now() - clearedAt).toBeGreaterThanOrEqual(950);
    finishers.forEach((finish) => finish());
  });
});
