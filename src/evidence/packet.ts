import type { Dispute } from '../disputes/model';
import { formatMoney } from '../money';
import { compareDelivery, formatLocation, type DeliveryAddressCheck } from './delivery-address';
import { letterSentences, letterText, type LetterSentence } from './letter';
import { EVIDENCE_KINDS, PLAYBOOKS, type EvidenceKind } from './playbooks';
import type { Address, Order, Policies, Shipment } from './records';
import type { OrderRecords, StoredShipment } from './repository';
import { transcript } from './text';

/** Everything the merchant has for one dispute. */
export interface EvidenceInput {
  dispute: Dispute;
  records?: OrderRecords;
  policies: Policies;
  priorOrders: Array<{ orderId: string; placedAt: string }>;
}

export interface PacketItem {
  kind: EvidenceKind;
  source: string;
  summary: string;
}

/**
 * What the packet derived once from the merchant's records. The provider builders read these,
 * never the raw records, so every payload rests on the same choice of shipment and address.
 */
export interface PacketFacts {
  orderId?: string;
  order?: Order;
  /** The shipment that proves delivery: the first delivered one, else the first shipped. */
  shipment?: StoredShipment;
  /** Where the goods went: the carrier's delivery address, else the order's shipping address. */
  deliveredTo?: Address;
  /** The conversation with the customer, oldest first, as one text ('' when there was none). */
  conversation: string;
  policies: Policies;
}

/** The canonical packet: provider-neutral, what the provider builders turn into their payloads. */
export interface Packet {
  disputeId: string;
  reason: Dispute['reason'];
  completeness: number;
  missing: EvidenceKind[];
  items: PacketItem[];
  /** A short factual rebuttal letter: `sentences` joined. */
  letter: string;
  facts: PacketFacts;
  /** The letter sentence by sentence, each with the evidence kinds it rests on. */
  sentences: LetterSentence[];
  /** Where the carrier delivered against the order's shipping address; a mismatch is evidence against the merchant. */
  deliveryAddress?: DeliveryAddressCheck;
  /** What staff must see before submitting (a delivery elsewhere, an order tied only by email + amount). */
  warnings?: string[];
}

const day = (iso: string) => iso.slice(0, 10);

export function formatAddress(a: Address): string {
  return [a.line1, a.line2, a.city, a.state, a.postalCode, a.country].filter(Boolean).join(', ');
}

function sameAddress(a: Address | undefined, b: Address | undefined): boolean {
  const norm = (x: Address) => [x.line1, x.line2 ?? '', x.city, x.postalCode ?? '', x.country].map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, '')).join('|');
  return !!a && !!b && norm(a) === norm(b);
}

const isDelivered = (s: Shipment) => s.status === 'delivered' || !!s.deliveredAt;
/** "shipment 1Z… (aftership)": where a shipment's facts came from. */
function shipmentSource(s: StoredShipment): string {
  return s.source && s.source !== 'api' ? `shipment ${s.shipmentId} (${s.source})` : `shipment ${s.shipmentId}`;
}

/** The delivered shipment's delivery place against the order's shipping address, when both are known. */
export function deliveryAddressCheck(records: OrderRecords): DeliveryAddressCheck | undefined {
  const s = deliveredShipment(records);
  const ordered = records.order.customer.shippingAddress;
  if (!s || !ordered || !isDelivered(s)) return undefined;
  const result = compareDelivery(ordered, { address: s.deliveryAddress, location: s.deliveryLocation });
  if (!result) return undefined;
  const delivered = s.deliveryAddress ? formatAddress(s.deliveryAddress) : formatLocation(s.deliveryLocation!);
  return { result, shipmentId: s.shipmentId, delivered, ordered: formatAddress(ordered) };
}

function deliveredShipment(records: OrderRecords) {
  return records.shipments.find(isDelivered) ?? records.shipments[0];
}

/** The facts every consumer of the packet shares (pure). */
export function packetFacts(input: EvidenceInput): PacketFacts {
  const r = input.records;
  const shipment = r && deliveredShipment(r);
  return {
    orderId: r?.orderId,
    order: r?.order,
    shipment,
    deliveredTo: shipment?.deliveryAddress ?? r?.order.customer.shippingAddress,
    conversation: transcript(r?.messages ?? []),
    policies: input.policies,
  };
}

/** What the records prove, kind by kind; undefined where they prove nothing. */
function detect(kind: EvidenceKind, input: EvidenceInput): PacketItem | undefined {
  const r = input.records;
  const order = r?.order;
  const shipment = r && deliveredShipment(r);
  const item = (source: string, summary: string): PacketItem => ({ kind, source, summary });
  switch (kind) {
    case 'order_details':
      return order && item(`order ${r!.orderId}`, `Order ${r!.orderId} placed ${day(order.placedAt)} for ${formatMoney(order.amount)}: ${order.items.map((i) => `${i.quantity} × ${i.description}`).join('; ')}`);
    case 'customer_identity':
      return order && item(`order ${r!.orderId}`, `${order.customer.name} <${order.customer.email}>`);
    case 'shipping_carrier':
      return shipment && item(`shipment ${shipment.shipmentId}`, `Shipped with ${shipment.carrier} on ${day(shipment.shippedAt)}`);
    case 'tracking_number':
      return shipment && item(`shipment ${shipment.shipmentId}`, `Tracking number ${shipment.trackingNumber} (${shipment.carrier})`);
    case 'delivery_confirmation':
      return shipment && isDelivered(shipment)
        ? item(`shipment ${shipment.shipmentId}`, `Delivered${shipment.deliveredAt ? ` on ${day(shipment.deliveredAt)}` : ''} according to ${shipment.carrier}`)
        : undefined;
    case 'delivery_address_match': {
      const check = r && deliveryAddressCheck(r);
      return check?.result === 'match' ? item(shipmentSource(shipment!), `Delivered to the shipping address of the order: ${check.delivered}`) : undefined;
    }
    case 'proof_of_delivery':
      return shipment?.proofOfDelivery ? item(shipmentSource(shipment), `Proof of delivery: ${shipment.proofOfDelivery}`) : undefined;
    case 'tracking_history':
      return shipment?.events?.length ? item(`shipment ${shipment.shipmentId}`, `${shipment.events.length} carrier scans from ${day(shipment.events[0]!.at)} to ${day(shipment.events.at(-1)!.at)}`) : undefined;
    case 'avs_cvc_match':
      return order?.checks?.avs === 'pass' && order.checks.cvc === 'pass' ? item(`order ${r!.orderId}`, 'Address (AVS) and card security code (CVC) checks passed') : undefined;
    case 'three_d_secure':
      return order?.checks?.threeDSecure === 'authenticated' ? item(`order ${r!.orderId}`, 'The cardholder authenticated the payment with 3-D Secure') : undefined;
    case 'purchase_ip':
      return order?.ip ? item(`order ${r!.orderId}`, `Purchased from IP address ${order.ip}`) : undefined;
    case 'billing_address_match': {
      const delivered = shipment?.deliveryAddress ?? order?.customer.shippingAddress;
      return sameAddress(delivered, order?.customer.billingAddress) ? item(`order ${r!.orderId}`, `Shipped to the cardholder's billing address: ${formatAddress(delivered!)}`) : undefined;
    }
    case 'prior_undisputed_orders':
      return input.priorOrders.length
        ? item('orders', `${input.priorOrders.length} earlier undisputed order(s) by the same customer: ${input.priorOrders.map((o) => `${o.orderId} (${day(o.placedAt)})`).join(', ')}`)
        : undefined;
    case 'product_description':
      return order && item(`order ${r!.orderId}`, `As sold: ${order.items.map((i) => i.description).join('; ')}${order.productUrl ? ` (${order.productUrl})` : ''}`);
    case 'refund_policy':
      return input.policies.refund ? item('policies', `Refund policy: ${input.policies.refund}`) : undefined;
    case 'cancellation_policy':
      return input.policies.cancellation ? item('policies', `Cancellation policy: ${input.policies.cancellation}`) : undefined;
    case 'customer_communication': {
      if (!r?.messages.length) return undefined;
      // Pulled messages cite where they came from: "zendesk tickets 101, 102".
      const tickets = new Map<string, Set<string>>();
      for (const m of r.messages) if (m.source && m.ticketId) tickets.set(m.source, (tickets.get(m.source) ?? new Set()).add(m.ticketId));
      const cited = [...tickets].map(([source, ids]) => `${source} ticket${ids.size > 1 ? 's' : ''} ${[...ids].join(', ')}`);
      return item(cited.length ? `order ${r.orderId}; ${cited.join('; ')}` : `order ${r.orderId}`, `${r.messages.length} message(s) with the customer${cited.length ? ` (helpdesk: ${cited.join('; ')})` : ''}, the last on ${day(r.messages.at(-1)!.at)}`);
    }
  }
}

/**
 * Picks what the dispute's reason needs from what the merchant has. Pure. The reason's playbook
 * weighs completeness and names what is missing; any other evidence the records prove is carried
 * too (after the playbook's), so the letter and the provider payloads can rest on it.
 */
export function assemblePacket(input: EvidenceInput): Packet {
  const playbook = PLAYBOOKS[input.dispute.reason];
  const found = playbook.map(([kind, weight]) => ({ kind, weight, item: detect(kind, input) }));
  const completeness = Math.round(found.reduce((sum, f) => sum + (f.item ? f.weight : 0), 0) * 100) / 100;
  const extras = EVIDENCE_KINDS.filter((kind) => !playbook.some(([k]) => k === kind))
    .map((kind) => detect(kind, input))
    .filter((i): i is PacketItem => !!i);
  const items = [...found.flatMap((f) => (f.item ? [f.item] : [])), ...extras];
  const sentences = letterSentences(input, items);
  return {
    disputeId: input.dispute.id,
    reason: input.dispute.reason,
    completeness: Math.min(1, completeness),
    missing: found.filter((f) => !f.item).map((f) => f.kind),
    items,
    letter: letterText(sentences),
    sentences,
    facts: packetFacts(input),
    ...packetChecks(input),
  };
}

/** The checks staff must see before submitting; absent when there is nothing to say. */
function packetChecks(input: EvidenceInput): Pick<Packet, 'deliveryAddress' | 'warnings'> {
  const r = input.records;
  if (!r) return {};
  const check = deliveryAddressCheck(r);
  const warnings = [
    check?.result === 'mismatch'
      ? `Delivery address mismatch: the carrier delivered shipment ${check.shipmentId} to ${check.delivered}, but the order was to ship to ${check.ordered}. This is evidence against you; check before submitting.`
      : undefined,
    r.match === 'email_amount'
      ? `Weak order match: order ${r.orderId} was found in ${r.source} by the customer's email and amount, not by the payment id. Make sure it is the disputed purchase.`
      : undefined,
  ].filter((w): w is string => !!w);
  return { ...(check ? { deliveryAddress: check } : {}), ...(warnings.length ? { warnings } : {}) };
}
