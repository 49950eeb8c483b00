import type { Queue } from 'bullmq';
import type { Selectable } from 'kysely';
import { isUuid } from '../db/ids';
import type { Db } from '../db/pool';
import type { Provider, WarningsTable } from '../db/schema';
import type { Money } from '../disputes/model';
import { NotFound, ProviderRejected, Refused } from '../errors';
import { portsOf, type ProviderPortMap } from '../ports';
import { canonicalJson, enqueueSubmission } from '../submission/request';
import type { Submission } from '../submission/model';
import { insertSubmission, listWarningSubmissions, liveWarningRefund } from '../submission/repository';

/**
 * An issuer's early fraud warning on a charge (Stripe Radar): not a dispute and nothing to answer,
 * but a refund now usually pre-empts the chargeback and its fee.
 */
export interface WarningFacts {
  provider: Provider;
  providerWarningId: string;
  providerPaymentId: string;
  amount: Money | null;
  reason: string;
  actionable: boolean;
  createdAt: string;
}

export interface Warning {
  id: string;
  provider: Provider;
  providerWarningId: string;
  providerPaymentId: string;
  amount: Money | null;
  reason: string;
  createdAt: string;
  refunded: boolean;
  disputeId: string | null;
  refund: { submissionId: string; status: Submission['status']; error: string | null } | null;
}

/** Reads a warning event of one provider; undefined for any other event. Pure. */

/** Keeps a warning once per provider id; a later update refreshes what it says. */
/** A warning is kept with its charge's amount, read from the provider when the event lacks it. */
export async function keepWarning(deps: { db: Db; providers: ProviderPortMap }, warning: WarningFacts): Promise<void> {
  const refunder = portsOf(deps.providers, warning.provider).refunder;
  let amount = warning.amount;
  if (!amount && refunder) {
    amount = await refunder.chargeAmount(warning.providerPaymentId).catch((err: unknown) => {
      if (err instanceof ProviderRejected) return null;
      throw err;
    });
  }
  await recordWarning(deps.db, { ...warning, amount });
}

export async function recordWarning(db: Db, facts: WarningFacts): Promise<string> {
  const row = await db
    .insertInto('warnings')
    .values({
      provider: facts.provider,
      provider_warning_id: facts.providerWarningId,
      provider_payment_id: facts.providerPaymentId,
      amount_value: facts.amount?.value ?? null,
      amount_currency: facts.amount?.currency ?? null,
      reason: facts.reason,
      actionable: facts.actionable,
      created_at: facts.createdAt,
    })
    .onConflict((oc) =>
      oc.columns(['provider', 'provider_warning_id']).doUpdateSet((eb) => ({
        reason: eb.ref('excluded.reason'),
        actionable: eb.ref('excluded.actionable'),
        amount_value: eb.fn.coalesce('excluded.amount_value', 'warnings.amount_value'),
        amount_currency: eb.fn.coalesce('excluded.amount_currency', 'warnings.amount_currency'),
      })),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

type Row = Selectable<WarningsTable>;

/** The dispute opened on the same charge, if any: once there is one, a refund is no longer possible. */
async function disputesOnCharges(db: Db, rows: Row[]): Promise<Map<string, string>> {
  const payments = [...new Set(rows.map((r) => r.provider_payment_id))];
  if (payments.length === 0) return new Map();
  const disputes = await db.selectFrom('disputes').select(['id', 'provider', 'provider_payment_id']).where('provider_payment_id', 'in', payments).execute();
  return new Map(disputes.map((d) => [`${d.provider}:${d.provider_payment_id}`, d.id]));
}

async function toWarnings(db: Db, rows: Row[]): Promise<Warning[]> {
  const [disputes, submissions] = await Promise.all([disputesOnCharges(db, rows), listWarningSubmissions(db, rows.map((r) => r.id))]);
  return rows.map((row) => {
    const refund = submissions.filter((s) => s.warningId === row.id).at(-1);
    return {
      id: row.id,
      provider: row.provider,
      providerWarningId: row.provider_warning_id,
      providerPaymentId: row.provider_payment_id,
      amount: row.amount_value === null || row.amount_currency === null ? null : { value: Number(row.amount_value), currency: row.amount_currency },
      reason: row.reason,
      createdAt: row.created_at.toISOString(),
      refunded: refund?.status === 'sent',
      disputeId: disputes.get(`${row.provider}:${row.provider_payment_id}`) ?? null,
      refund: refund ? { submissionId: refund.id, status: refund.status, error: refund.error } : null,
    };
  });
}

/** Newest first. */
export async function listWarnings(db: Db, limit = 200): Promise<Warning[]> {
  const rows = await db.selectFrom('warnings').selectAll().orderBy('created_at', 'desc').limit(limit).execute();
  return toWarnings(db, rows);
}

export async function findWarning(db: Db, id: string): Promise<Warning | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await db.selectFrom('warnings').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? (await toWarnings(db, [row]))[0] : undefined;
}

/** A warning whose charge is already disputed, refunded, or has a refund under way: 409. */
export class RefundRefused extends Refused {
  constructor(reason: string, code = 'refund_not_allowed') {
    super(code, reason);
    this.name = 'RefundRefused';
  }
}

/**
 * Asks for a refund of a warned charge: one refund per warning (the same ask twice gets the same
 * submission back), refused once the charge is disputed. Under the warning's row lock.
 */
export async function requestWarningRefund(
  deps: { db: Db; submissions: Queue },
  input: { warningId: string; amount: Money | null; requestedBy: 'staff' | 'auto' },
): Promise<Submission> {
  if (!isUuid(input.warningId)) throw new NotFound('warning_not_found');
  const submission = await deps.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('warnings').selectAll().where('id', '=', input.warningId).forUpdate().executeTakeFirst();
    if (!row) throw new NotFound('warning_not_found');
    const disputed = await trx.selectFrom('disputes').select('id').where('provider', '=', row.provider).where('provider_payment_id', '=', row.provider_payment_id).executeTakeFirst();
    if (disputed) throw new RefundRefused(`the charge ${row.provider_payment_id} is already disputed: answer the dispute instead`, 'charge_disputed');
    const live = await liveWarningRefund(trx, input.warningId);
    if (live) {
      if (live.status !== 'sent' && canonicalJson(live.request) === canonicalJson({ amount: input.amount })) return live;
      throw new RefundRefused(live.status === 'sent' ? 'the charge was already refunded' : 'a refund is already under way');
    }
    return insertSubmission(trx, { warningId: input.warningId, kind: 'refund', requestedBy: input.requestedBy, request: { amount: input.amount } });
  });
  // Recorded is what counts: with Redis away, the submission sweep queues it once Redis is back.
  await enqueueSubmission(deps.submissions, submission.id).catch(() => undefined);
  return submission;
}
