import { z } from 'zod';

/** Queue names and the job payloads they carry. Payloads are ids, never provider data. */
export const QUEUES = {
  events: 'events',
} as const;

export const EventJob = z.object({ eventId: z.uuid() });
export type EventJob = z.infer<typeof EventJob>;
