/** When each threshold alert is due for one deadline. Pure. */

export interface ThresholdPlan {
  /** Thresholds still ahead: a delayed job each. */
  ahead: Array<{ thresholdMs: number; at: Date }>;
  /** The most urgent threshold that has already passed (while we were down, or the dispute came in late): sent once, now. */
  catchUp?: { thresholdMs: number; at: Date };
}

export function planThresholds(dueBy: Date, thresholdsMs: readonly number[], now: Date): ThresholdPlan {
  if (dueBy <= now) return { ahead: [] };
  const all = thresholdsMs.map((thresholdMs) => ({ thresholdMs, at: new Date(dueBy.getTime() - thresholdMs) }));
  const passed = all.filter((t) => t.at <= now).sort((a, b) => a.thresholdMs - b.thresholdMs);
  return { ahead: all.filter((t) => t.at > now).sort((a, b) => a.at.getTime() - b.at.getTime()), catchUp: passed[0] };
}

/**
 * A threshold job that fires late (after downtime, delayed jobs all come due at once) sends only
 * if it is the most urgent threshold passed by now; the others are superseded by it.
 */
export function supersededBy(thresholdMs: number, dueBy: Date, thresholdsMs: readonly number[], now: Date): number | undefined {
  const passed = thresholdsMs.filter((t) => dueBy.getTime() - t <= now.getTime());
  const mostUrgent = Math.min(...passed);
  return passed.length && mostUrgent < thresholdMs ? mostUrgent : undefined;
}

export const thresholdKind = (thresholdMs: number) => `threshold:${thresholdMs}`;
