import type { Logger } from '../log';

/**
 * Runs `task` every `everyMs` in the background (the timer never keeps the process alive);
 * `stop()` clears it and waits for a run under way. A failed run is logged and the next one
 * comes as scheduled: the sweeps that use this pick up whatever the last run left.
 */
export function startPeriodic(task: () => Promise<unknown>, everyMs: number, log: Logger, what: string): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = task().catch((err) => log.warn({ err }, `${what} failed`));
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
