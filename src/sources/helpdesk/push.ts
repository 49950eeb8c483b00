import { REASON_IN_WORDS } from '../../alerts/messages';
import type { Db } from '../../db/pool';
import type { Dispute } from '../../disputes/model';
import { evidenceFor } from '../../evidence/gather';
import type { EvidenceInput } from '../../evidence/packet';
import type { Logger } from '../../log';
import { formatMoney } from '../../money';
import { SourceAuthFailed } from '../errors';
import { claimAction, finishAction } from '../repository';
import type { SourcesConfig } from '../settings';
import type { HelpdeskClient, OutgoingMessage } from '../types';

const PROVIDER_NAMES: Record<Dispute['provider'], string> = { stripe: 'Stripe', paypal: 'PayPal', square: 'Square' };

export type HelpdeskAction = 'note' | 'ack';

export interface PushDeps {
  db: Db;
  log: Logger;
  settings: Pick<SourcesConfig, 'helpdeskNote' | 'ackTemplate'>;
  /** PUBLIC_URL and ALERT_TIMEZONE */
  links: { publicUrl: string; timezone: string };
  onAuthFailed?: (source: string, error: SourceAuthFailed) => Promise<void>;
}

function inZone(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }).format(new Date(iso));
}

const amountOf = (input: EvidenceInput) => (input.dispute.amount ? formatMoney(input.dispute.amount) : input.records ? formatMoney(input.records.order.amount) : 'an unknown amount');

/** The internal note: what staff in the helpdesk need before they answer this customer again. Pure. */
export function noteFor(input: EvidenceInput, links: PushDeps['links']): Omit<OutgoingMessage, 'email' | 'name'> {
  const d = input.dispute;
  const provider = PROVIDER_NAMES[d.provider];
  const amount = amountOf(input);
  const due = d.dueBy ? `${inZone(d.dueBy, links.timezone)} (${d.dueBy.replace('.000Z', 'Z')})` : 'not known yet';
  return {
    subject: `Chargeback: ${provider} dispute ${d.providerDisputeId} (${amount})`,
    body: [
      `Chargeback opened on this customer's payment. Please do not refund or promise anything before checking the dispute.`,
      `Amount: ${amount}`,
      `Reason: ${d.reason.replace(/_/g, ' ')}: ${REASON_IN_WORDS[d.reason]}`,
      `Provider: ${provider}, dispute ${d.providerDisputeId}`,
      `Evidence due: ${due}`,
      input.records ? `Order: ${input.records.orderId}` : undefined,
      `Dispute in Rebuttal: ${links.publicUrl}/disputes/${d.id}`,
    ]
      .filter((l): l is string => l !== undefined)
      .join('\n'),
  };
}

/** The acknowledgment from HELPDESK_ACK_TEMPLATE: {name}, {order}, {amount} filled in. Pure. */
export function ackFor(template: string, input: EvidenceInput): Omit<OutgoingMessage, 'email' | 'name'> {
  const values: Record<string, string> = {
    name: input.records?.order.customer.name ?? 'there',
    order: input.records?.orderId ?? 'your order',
    amount: amountOf(input),
  };
  return {
    subject: input.records ? `About your order ${input.records.orderId}` : 'About your payment',
    body: template.replace(/\{(name|order|amount)\}/g, (_m, key: string) => values[key]!).replace(/\\n/g, '\n'),
  };
}

/**
 * One outgoing helpdesk call for one dispute, at most once: the (source, dispute, action) row is
 * claimed before the call, so duplicate events, retries and concurrent workers find it taken.
 * A call that failed releases it as `failed` and the job's retry claims it again.
 */
export async function pushToHelpdesk(deps: PushDeps, source: string, client: HelpdeskClient, disputeId: string, action: HelpdeskAction): Promise<string> {
  if (action === 'note' && !deps.settings.helpdeskNote) return 'HELPDESK_NOTE is off';
  if (action === 'ack' && !deps.settings.ackTemplate) return 'no HELPDESK_ACK_TEMPLATE';
  const input = await evidenceFor(deps.db, disputeId);
  if (!input) return 'dispute not found';
  // The cardholder of a fraud dispute may not be our customer: telling the customer could tip off a fraudster or alarm an innocent one.
  if (action === 'ack' && input.dispute.reason === 'fraud') return 'never acknowledged: fraud dispute';
  const email = input.records?.order.customer.email;
  if (!email) return 'no customer email known yet';
  if (action === 'ack' && (input.dispute.status !== 'needs_response' || input.dispute.evidence.submittedAt)) return 'the dispute no longer takes a response';
  if (!(await claimAction(deps.db, source, disputeId, action))) return `${action} already posted or under way`;
  const key = { source, disputeId, action };
  const message = { email, name: input.records?.order.customer.name, ...(action === 'note' ? noteFor(input, deps.links) : ackFor(deps.settings.ackTemplate!, input)) };
  try {
    const posted = action === 'note' ? await client.postNote(message) : await client.reply(message);
    if (!posted) {
      await finishAction(deps.db, key, { status: 'skipped', error: 'the customer has no ticket to answer' });
      return `${action} skipped: no ticket to answer`;
    }
    await finishAction(deps.db, key, { status: 'done', ticketId: posted.ticketId, url: posted.url });
    deps.log.info({ source, disputeId, action, ticketId: posted.ticketId }, `helpdesk ${action} posted`);
    return `${action} posted on ticket ${posted.ticketId}`;
  } catch (err) {
    await finishAction(deps.db, key, { status: 'failed', error: err instanceof Error ? err.message : String(err) });
    if (err instanceof SourceAuthFailed) await deps.onAuthFailed?.(source, err).catch(() => undefined);
    throw err;
  }
}
