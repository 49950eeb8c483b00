import type { Worker } from 'bullmq';

/** Events held by the events stage from which the stages after it give way… */
const BACKLOG_FROM = 8;
/** …until it has held no more than this for CALM_MS. */
const BACKLOG_CLEARED = 2;
const CALM_MS = 1_000;

/**
 * Under a burst, the canonical disputes come first. The events stage turns a webhook into the
 * dispute that staff and the dashboard see; the stages after it (evidence, alerts, submissions,
 * sources) work toward deadlines days away. On a small machine they share the CPU and the
 * database: at 500 new disputes a second, with four jobs each in flight, they held the events
 * stage to ≈400 a second and webhook → dispute p99 to 2–4 s (README, Benchmarks). While the
 * events stage holds a backlog each of them takes one job at a time, and goes back to its own
 * concurrency once the events stage has kept up for a second; their work waits, none is dropped.
 */
export class EventsFirst {
  private held = 0;
  private yielding = false;
  private busyAt = 0;
  private calmCheck: NodeJS.Timeout | undefined;
  private readonly downstream: Array<{ worker: Worker; concurrency: number }> = [];

  /** The stages that give way, each at the concurrency it was started with. */
  giveWay(workers: readonly Worker[]): void {
    this.downstream.push(...workers.map((worker) => ({ worker, concurrency: worker.concurrency })));
    this.apply();
  }

  /** Counts an events job from when the events stage takes it until it is done. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    this.held++;
    this.update();
    try {
      return await work();
    } finally {
      this.held--;
      this.update();
    }
  }

  private update(): void {
    if (this.held > BACKLOG_CLEARED) this.busyAt = Date.now();
    if (!this.yielding && this.held >= BACKLOG_FROM) {
      this.yielding = true;
      this.apply();
    }
    if (this.yielding && this.held <= BACKLOG_CLEARED) this.calmCheck ??= setTimeout(() => this.endIfCalm(), CALM_MS).unref();
  }

  private endIfCalm(): void {
    this.calmCheck = undefined;
    if (this.held > BACKLOG_CLEARED) return;
    const calmFor = Date.now() - this.busyAt;
    if (calmFor < CALM_MS) {
      this.calmCheck = setTimeout(() => this.endIfCalm(), CALM_MS - calmFor).unref();
      return;
    }
    this.yielding = false;
    this.apply();
  }

  private apply(): void {
    for (const { worker, concurrency } of this.downstream) worker.concurrency = this.yielding ? 1 : concurrency;
  }
}
