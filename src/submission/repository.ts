import { sql, type Selectable, type Transaction } from 'kysely';
import type { Db } from '../db/pool';
import type { Database, SubmissionsTable } from '../db/schema';
import type { ProviderAnswer, RequestedBy, Submission, SubmissionKind } from './model';

type Row = Selectable<SubmissionsTable>;

function toSubmission(row: Row): Submission {
  return {
    id: row.id,
    disputeId: row.dispute_id,
    warningId: row.warning_id,
    kind: row.kind,
    request: row.request ?? {},
    status: row.status,
    requestedBy: row.requested_by,
    attempts: row.attempts,
    providerAnswers: row.provider_answers as ProviderAnswer[],
    error: row.error,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    sentAt: row.sent_at ? row.sent_at.toISOString() : null,
  };
}

export async function findSubmission(db: Db, id: string): Promise<Submission | undefined> {
  const row = await db.selectFrom('submissions').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toSubmission(row);
}

export async function listSubmissions(db: Db, disputeId: string): Promise<Submission[]> {
  const rows = await db.selectFrom('submissions').selectAll().where('dispute_id', '=', disputeId).orderBy('created_at').execute();
  return rows.map(toSubmission);
}

/** Every submission of this dispute that is queued, sending or sent (not failed), oldest first. */
export async function liveSubmissions(db: Db | Transaction<Database>, disputeId: string): Promise<Submission[]> {
  const rows = await db
    .selectFrom('submissions')
    .selectAll()
    .where('dispute_id', '=', disputeId)
    .where('status', '<>', 'failed')
    .orderBy('created_at')
    .execute();
  return rows.map(toSubmission);
}

/** The refund of this warning that is queued, sending or sent, if any. */
export async function liveWarningRefund(db: Db | Transaction<Database>, warningId: string): Promise<Submission | undefined> {
  const row = await db.selectFrom('submissions').selectAll().where('warning_id', '=', warningId).where('status', '<>', 'failed').executeTakeFirst();
  return row && toSubmission(row);
}

export async function listWarningSubmissions(db: Db, warningIds: string[]): Promise<Submission[]> {
  if (warningIds.length === 0) return [];
  const rows = await db.selectFrom('submissions').selectAll().where('warning_id', 'in', warningIds).orderBy('created_at').execute();
  return rows.map(toSubmission);
}

export async function insertSubmission(
  trx: Transaction<Database>,
  input: { disputeId?: string; warningId?: string; kind: SubmissionKind; requestedBy: RequestedBy; request?: Record<string, unknown> },
): Promise<Submission> {
  const row = await trx
    .insertInto('submissions')
    .values({
      dispute_id: input.disputeId ?? null,
      warning_id: input.warningId ?? null,
      kind: input.kind,
      requested_by: input.requestedBy,
      request: JSON.stringify(input.request ?? {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toSubmission(row);
}

/** queued|sending → sending, one more attempt; undefined when it is already sent or failed. */
export async function claimForSending(db: Db, id: string): Promise<Submission | undefined> {
  const row = await db
    .updateTable('submissions')
    .set((eb) => ({ status: 'sending', attempts: eb('attempts', '+', 1), updated_at: new Date() }))
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'sending'])
    .returningAll()
    .executeTakeFirst();
  return row && toSubmission(row);
}

export async function recordAnswer(db: Db, id: string, answer: ProviderAnswer): Promise<void> {
  await db
    .updateTable('submissions')
    .set({ provider_answers: sql<string>`provider_answers || ${JSON.stringify([answer])}::jsonb`, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** The completeness of the packet an evidence submission sends (a retry sends, and records, the current one). */
export async function recordPacketSent(db: Db, id: string, completeness: number): Promise<void> {
  await db.updateTable('submissions').set({ completeness }).where('id', '=', id).execute();
}

export async function markSent(db: Db, id: string): Promise<void> {
  await db.updateTable('submissions').set({ status: 'sent', sent_at: new Date(), updated_at: new Date(), error: null }).where('id', '=', id).execute();
}

export async function markFailed(db: Db, id: string, error: string): Promise<void> {
  await db.updateTable('submissions').set({ status: 'failed', error, updated_at: new Date() }).where('id', '=', id).where('status', '<>', 'sent').execute();
}

/** While a retry waits, the submission reads as queued with the last error beside it. */
export async function markRetrying(db: Db, id: string, error: string): Promise<void> {
  await db.updateTable('submissions').set({ status: 'queued', error, updated_at: new Date() }).where('id', '=', id).where('status', '=', 'sending').execute();
}
