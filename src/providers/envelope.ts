import type { z } from 'zod';
import { WebhookRejected } from '../errors';

/** Parses a provider envelope with its schema; a body of any other shape is malformed. */
export function parseWith<T>(schema: z.ZodType<T>, json: unknown, provider: string): T {
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.join('.') || 'body';
    throw new WebhookRejected('malformed_body', `not a ${provider} event: ${where} is missing or invalid`);
  }
  return parsed.data;
}
