import type { Reason } from '../disputes/model';
import { formatMoney } from '../money';
import { PLAYBOOKS, type EvidenceKind } from './playbooks';
import type { EvidenceInput, PacketItem } from './packet';

/**
 * One sentence of the rebuttal letter and the evidence it rests on. A sentence that rests on
 * nothing only restates the dispute (what the customer says); every claim of ours names its items.
 */
export interface LetterSentence {
  text: string;
  restsOn: EvidenceKind[];
}

const day = (iso: string) => iso.slice(0, 10);
const period = (text: string) => (/[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);

/** What the customer says: the dispute's own claim, which needs no evidence of ours. */
const CLAIM: Record<Reason, string> = {
  product_not_received: 'The customer says the order never arrived.',
  fraud: 'The cardholder says they did not make this purchase.',
  product_unacceptable: 'The customer says the goods were not as described.',
  credit_not_processed: 'The customer says a refund is owed.',
  subscription_canceled: 'The customer says the subscription was cancelled.',
  duplicate: 'The customer says they were charged twice.',
  incorrect_amount: 'The customer disputes the amount charged.',
  paid_by_other_means: 'The customer says they paid another way.',
  general: 'The customer disputes this payment.',
};

/**
 * Our answer to the claim, said only when the evidence it rests on is in the packet: the first
 * alternative whose `needs` are all present (and, for `anyOf`, at least one of those).
 */
const ANSWER: Record<Reason, Array<{ text: string; needs: EvidenceKind[]; anyOf?: EvidenceKind[] }>> = {
  product_not_received: [{ text: 'It was shipped and delivered.', needs: ['tracking_number', 'delivery_confirmation'] }],
  fraud: [{ text: 'The payment was authorised by the cardholder.', needs: [], anyOf: ['three_d_secure', 'avs_cvc_match'] }],
  product_unacceptable: [{ text: 'The goods match what was sold.', needs: ['product_description'] }],
  credit_not_processed: [{ text: 'None is owed under our refund policy, quoted below.', needs: ['refund_policy'] }],
  subscription_canceled: [{ text: 'Under our cancellation policy, quoted below, it was not cancelled before this charge.', needs: ['cancellation_policy'] }],
  duplicate: [{ text: 'This charge pays for one distinct purchase, described below.', needs: ['order_details'] }],
  incorrect_amount: [{ text: 'The amount charged is the order total agreed at checkout, described below.', needs: ['order_details'] }],
  paid_by_other_means: [{ text: 'This charge is the payment for the order described below.', needs: ['order_details'] }],
  general: [{ text: 'The order was placed and paid for, as described below.', needs: ['order_details'] }],
};

/** What every letter tells when the packet holds it: the order, the buyer, the shipment. */
const ALWAYS_TOLD: EvidenceKind[] = ['order_details', 'customer_identity', 'shipping_carrier', 'tracking_number'];

/** The order the fact sentences follow, so the letter reads as a story: order, shipment, delivery, checks, words, policies. */
const SENTENCE_ORDER: EvidenceKind[] = [
  'order_details', 'customer_identity', 'product_description', 'shipping_carrier', 'tracking_number', 'delivery_confirmation',
  'delivery_address_match', 'proof_of_delivery', 'tracking_history', 'avs_cvc_match', 'three_d_secure', 'purchase_ip',
  'billing_address_match', 'prior_undisputed_orders', 'customer_communication', 'refund_policy', 'cancellation_policy',
];

function deliveredShipment(input: EvidenceInput) {
  const shipments = input.records?.shipments ?? [];
  return shipments.find((s) => s.status === 'delivered' || s.deliveredAt) ?? shipments[0];
}

/** The sentence an item is told in, from the same records the item was found in. */
function factSentence(kind: EvidenceKind, input: EvidenceInput, present: Set<EvidenceKind>): LetterSentence | undefined {
  const r = input.records;
  const o = r?.order;
  const s = deliveredShipment(input);
  const say = (text: string, restsOn: EvidenceKind[] = [kind]): LetterSentence => ({ text: period(text), restsOn });
  switch (kind) {
    case 'order_details':
      return o && say(`Order ${r!.orderId} was placed on ${day(o.placedAt)} for ${formatMoney(o.amount)}: ${o.items.map((i) => `${i.quantity} × ${i.description}`).join('; ')}`);
    case 'customer_identity':
      return o && say(`The buyer was ${o.customer.name} (${o.customer.email})`);
    case 'product_description':
      return o && say(`As sold, the listing described: ${o.items.map((i) => i.description).join('; ')}${o.productUrl ? ` (${o.productUrl})` : ''}`);
    case 'shipping_carrier':
      if (!s) return undefined;
      return present.has('tracking_number')
        ? say(`It shipped with ${s.carrier} on ${day(s.shippedAt)}, tracking number ${s.trackingNumber}`, ['shipping_carrier', 'tracking_number'])
        : say(`It shipped with ${s.carrier} on ${day(s.shippedAt)}`);
    case 'tracking_number':
      return s && !present.has('shipping_carrier') ? say(`Its tracking number is ${s.trackingNumber}`) : undefined;
    case 'delivery_confirmation':
      return s && say(`${s.carrier} reports it delivered${s.deliveredAt ? ` on ${day(s.deliveredAt)}` : ''}`);
    case 'delivery_address_match':
      return s?.deliveryAddress && say(`It was delivered to the shipping address of the order`);
    case 'proof_of_delivery':
      return s?.proofOfDelivery ? say(`Proof of delivery: ${s.proofOfDelivery}`) : undefined;
    case 'tracking_history':
      return s?.events?.length ? say(`The carrier recorded ${s.events.length} scans from ${day(s.events[0]!.at)} to ${day(s.events.at(-1)!.at)}`) : undefined;
    case 'avs_cvc_match':
      return say('The address (AVS) and card security code (CVC) checks passed');
    case 'three_d_secure':
      return say('The cardholder authenticated the payment with 3-D Secure');
    case 'purchase_ip':
      return o?.ip ? say(`It was purchased from IP address ${o.ip}`) : undefined;
    case 'billing_address_match':
      return say("The order shipped to the cardholder's billing address");
    case 'prior_undisputed_orders':
      return input.priorOrders.length ? say(`The same customer placed ${input.priorOrders.length} earlier undisputed order(s)`) : undefined;
    case 'customer_communication': {
      if (!r?.messages.length) return undefined;
      const inbound = r.messages.filter((m) => m.direction === 'inbound');
      return inbound.length
        ? say(`The customer wrote to us ${inbound.length} time(s); the last message, on ${day(inbound.at(-1)!.at)}, is in the attached transcript`)
        : say(`We wrote to the customer ${r.messages.length} time(s), the last on ${day(r.messages.at(-1)!.at)}; the messages are in the attached transcript`);
    }
    case 'refund_policy':
      return input.policies.refund ? say(`Our refund policy: ${input.policies.refund}`) : undefined;
    case 'cancellation_policy':
      return input.policies.cancellation ? say(`Our cancellation policy: ${input.policies.cancellation}`) : undefined;
  }
}

/**
 * The short factual letter, sentence by sentence: the customer's claim, our answer when the
 * evidence for it is present, then one sentence per item the reason's playbook asks for (and the
 * order, buyer and shipment). Nothing is said that no present item shows: a missing policy is
 * never cited, an undelivered parcel never "delivered".
 */
export function letterSentences(input: EvidenceInput, items: PacketItem[]): LetterSentence[] {
  const present = new Set(items.map((i) => i.kind));
  const reason = input.dispute.reason;
  const sentences: LetterSentence[] = [{ text: CLAIM[reason], restsOn: [] }];
  const answer = ANSWER[reason].find((a) => a.needs.every((k) => present.has(k)) && (!a.anyOf || a.anyOf.some((k) => present.has(k))));
  if (answer) sentences.push({ text: answer.text, restsOn: [...answer.needs, ...(answer.anyOf ?? []).filter((k) => present.has(k))] });
  const told = new Set([...ALWAYS_TOLD, ...PLAYBOOKS[reason].map(([kind]) => kind)]);
  for (const kind of SENTENCE_ORDER) {
    if (!present.has(kind) || !told.has(kind)) continue;
    const sentence = factSentence(kind, input, present);
    if (sentence) sentences.push(sentence);
  }
  return sentences;
}

export const letterText = (sentences: LetterSentence[]): string => sentences.map((s) => s.text).join(' ');
