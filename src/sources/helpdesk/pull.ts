import type { Db } from '../../db/pool';
import type { EvidenceInput } from '../../evidence/packet';
import type { StoredMessage } from '../../evidence/records';
import { putMessage } from '../../evidence/repository';
import type { HelpdeskClient, PulledMessage } from '../types';

/**
 * The documented cap: at most this many public messages per dispute and helpdesk, oldest first.
 * A customer's whole history rarely comes near it; a looping auto-responder would, and the packet
 * keeps to each provider's text limits anyway (src/evidence/text.ts `fit`).
 */
export const MESSAGE_CAP = 500;
const BODY_LIMIT = 100_000;

/** The customer emails to look up: the order's customer (a dispute's buyer email would join here). */
export function customerEmails(input: EvidenceInput): string[] {
  const emails = [input.records?.order.customer.email].filter((e): e is string => !!e).map((e) => e.trim().toLowerCase());
  return [...new Set(emails)].sort();
}

/** Our message record for one pulled message: channel helpdesk, its origin kept. */
export function messageRecord(source: string, m: PulledMessage): StoredMessage {
  const body = m.body.trim() === '' ? '(no text: attachments only)' : m.body.slice(0, BODY_LIMIT);
  return { channel: 'helpdesk', direction: m.direction, from: m.author || 'unknown', at: m.at, body, source, sourceId: m.sourceId, sourceUrl: m.sourceUrl, author: m.author, ticketId: m.ticketId };
}

/** Key of a pulled message among the order's messages: one per (source, sourceId). */
export const messageIdOf = (source: string, sourceId: string) => `${source}:${sourceId}`;

/**
 * Pulls the customer's public conversation and stores it under the order, all or nothing: the
 * client reads every page first (a malformed page throws before any write), then one transaction
 * upserts the lot. Card numbers are masked by putMessage, as for every message.
 */
export async function pullConversation(
  db: Db,
  source: string,
  client: HelpdeskClient,
  input: EvidenceInput & { records: NonNullable<EvidenceInput['records']> },
  emails: string[],
): Promise<{ records: number; changed: number }> {
  const messages = await client.conversation({ emails, limit: MESSAGE_CAP });
  const orderId = input.records.orderId;
  const changed = await db.transaction().execute(async (trx) => {
    let count = 0;
    for (const m of messages) if (await putMessage(trx, orderId, messageIdOf(source, m.sourceId), messageRecord(source, m))) count++;
    return count;
  });
  return { records: messages.length, changed };
}
