import type { Dispute } from '../disputes/model';
import { formatMoney } from '../money';

export type AlertKind = 'opened' | 'submission_failed' | 'outcome' | 'webhooks_missing' | 'auto_accepted' | `threshold:${number}`;

/** What every channel renders: the facts a busy person needs to act. */
export interface AlertMessage {
  kind: AlertKind;
  disputeId: string;
  subject: string;
  lines: string[];
  link: string;
  dispute: {
    provider: Dispute['provider'];
    providerDisputeId: string;
    amount: string;
    reason: string;
    status: Dispute['status'];
    dueBy: string | null;
    dueByLocal: string | null;
    timeLeft: string | null;
    completeness: number;
    missing: string[];
  };
}

export const REASON_IN_WORDS: Record<Dispute['reason'], string> = {
  fraud: 'the cardholder says they did not make this payment',
  product_not_received: 'the customer says the order never arrived',
  product_unacceptable: 'the customer says the goods were not as described',
  credit_not_processed: 'the customer says a refund was promised but not made',
  duplicate: 'the customer says they were charged twice',
  subscription_canceled: 'the customer says they had cancelled the subscription',
  incorrect_amount: 'the customer disputes the amount charged',
  paid_by_other_means: 'the customer says they paid another way',
  general: 'the bank gave no specific reason',
};

/** 259200000 → "72h", 1800000 → "30m": thresholds read as they were configured. */
function thresholdInWords(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.round(ms / 1000)}s`;
}


function timeLeft(dueBy: Date, now: Date): string {
  const ms = dueBy.getTime() - now.getTime();
  if (ms <= 0) return 'overdue';
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  if (hours >= 48) return `${Math.floor(hours / 24)} days ${hours % 24} h`;
  if (hours >= 1) return `${hours} h ${minutes} min`;
  return `${Math.max(1, minutes)} min`;
}

function inZone(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(instant);
}

/** The alert's content for one dispute. Pure: formatting happens here, at the edge. */
export function buildAlertMessage(
  kind: AlertKind,
  dispute: Dispute,
  settings: { publicUrl: string; timezone: string; displayNames: Readonly<Record<string, string>> },
  now: Date,
): AlertMessage {
  const provider = settings.displayNames[dispute.provider] ?? dispute.provider;
  const amount = dispute.amount ? formatMoney(dispute.amount) : 'an unknown amount';
  const due = dispute.dueBy ? new Date(dispute.dueBy) : null;
  const left = due ? timeLeft(due, now) : null;
  const link = `${settings.publicUrl}/disputes/${dispute.id}`;
  const subject =
    kind === 'opened'
      ? `New ${provider} dispute: ${amount}, ${dispute.reason.replace(/_/g, ' ')}${left ? `, respond within ${left}` : ''}`
      : kind === 'submission_failed'
        ? `Evidence submission failed for ${provider} dispute ${dispute.providerDisputeId} (${amount})`
        : kind === 'webhooks_missing'
          ? `Webhooks from ${provider} are not arriving: reconciliation found dispute ${dispute.providerDisputeId} (${amount}) that no webhook delivered`
          : kind === 'auto_accepted'
            ? `Auto-accepted ${provider} dispute ${dispute.providerDisputeId} (${amount}): expected recovery below AUTO_ACCEPT_BELOW`
        : kind === 'outcome'
          ? `${provider} dispute ${dispute.outcome === 'won' ? 'WON' : dispute.outcome === 'lost' ? 'LOST' : dispute.status}: ${amount}`
          : `${thresholdInWords(Number(kind.split(':')[1]))} left to answer ${provider} dispute: ${amount}`;
  const completeness = Math.round(dispute.evidence.completeness * 100);
  const lines = [
    ...(kind === 'webhooks_missing'
      ? [`Check the webhook endpoint registered with ${provider} (its URL and that it reaches this server) and its signing secret; until then, reconciliation picks disputes up every RECONCILE_INTERVAL.`]
      : []),
    `${provider} dispute ${dispute.providerDisputeId} for ${amount}: ${REASON_IN_WORDS[dispute.reason]}.`,
    due
      ? `Evidence due ${due.toISOString().replace('.000Z', 'Z')} (UTC)${settings.timezone !== 'UTC' ? `, ${inZone(due, settings.timezone)}` : ''}: ${left} left.`
      : 'No evidence deadline is known yet.',
    `Evidence ${completeness}% complete${dispute.evidence.missing.length ? `; missing: ${dispute.evidence.missing.join(', ').replace(/_/g, ' ')}` : ''}.`,
    `Status: ${dispute.status.replace('_', ' ')}.`,
    `Open it: ${link}`,
  ];
  return {
    kind,
    disputeId: dispute.id,
    subject,
    lines,
    link,
    dispute: {
      provider: dispute.provider,
      providerDisputeId: dispute.providerDisputeId,
      amount,
      reason: REASON_IN_WORDS[dispute.reason],
      status: dispute.status,
      dueBy: dispute.dueBy,
      dueByLocal: due ? inZone(due, settings.timezone) : null,
      timeLeft: left,
      completeness: dispute.evidence.completeness,
      missing: dispute.evidence.missing,
    },
  };
}
