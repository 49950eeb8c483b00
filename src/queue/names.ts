import { z } from 'zod';

/** Queue names and the job payloads they carry. Payloads are ids, never provider data. */
export const QUEUES = {
  /** stored provider events → canonical disputes (src/disputes) */
  events: 'events',
  /** dispute changes → gather evidence, build packets (src/evidence) */
  evidence: 'evidence',
  /** dispute changes and submit/accept requests → provider calls (src/submission) */
  submissions: 'submissions',
  /** dispute changes → schedule, cancel and send staff alerts (src/alerts) */
  alerts: 'alerts',
  /** scheduled upkeep: reconciliation against each provider's dispute list, erasure of personal data (src/reconcile, src/retention) */
  maintenance: 'maintenance',
  /** dispute changes, sync requests, the re-pull interval → evidence sources pulled and written to (src/sources) */
  sources: 'sources',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const EventJob = z.object({ eventId: z.uuid() });
export type EventJob = z.infer<typeof EventJob>;

/**
 * Domain events: something happened to a dispute. Published by the stage that caused it to
 * every stage that listens (src/queue/dispute-changes.ts); each listener reads the dispute
 * afresh from PostgreSQL, so a late or repeated change is harmless.
 */
export const DISPUTE_CHANGES = [
  'opened',
  'updated',
  'deadline_changed',
  'closed',
  'packet_updated',
  'answered',
  'submission_failed',
  'auto_accepted',
] as const;
export const DisputeChange = z.object({
  disputeId: z.uuid(),
  change: z.enum(DISPUTE_CHANGES),
  at: z.iso.datetime(),
});
export type DisputeChange = z.infer<typeof DisputeChange>;
