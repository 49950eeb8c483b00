import type PDFDocument from 'pdfkit';
import type { Dispute } from '../disputes/model';
import { formatMoney } from '../money';
import { formatAddress, type EvidenceInput, type Packet } from './packet';
import { transcript } from './text';
import { formatLocation } from './delivery-address';
import type { RecordOrigin } from './repository';

const originsText = (origins: RecordOrigin[] | undefined) => {
  const others = (origins ?? []).filter((o) => o.orderId);
  return others.length ? `; also found: ${others.map((o) => `${o.source} order ${o.orderId}${o.match ? ` (${o.match})` : ''}`).join(', ')}` : '';
};

/** Stripe takes files up to 5 MB for dispute evidence. */
export const MAX_PDF_BYTES = 5 * 1024 * 1024;

const REASON_WORDS: Record<Dispute['reason'], string> = {
  fraud: 'Fraud / not recognised',
  product_not_received: 'Product not received',
  product_unacceptable: 'Not as described',
  credit_not_processed: 'Credit not processed',
  duplicate: 'Duplicate charge',
  subscription_canceled: 'Subscription cancelled',
  incorrect_amount: 'Incorrect amount',
  paid_by_other_means: 'Paid by other means',
  general: 'General',
};

/** The packet as one PDF: summary, order, shipment timeline, conversation, policies. Card numbers were masked at storage. */
export function renderPacketPdf(packet: Packet, input: EvidenceInput, options: { compress?: boolean } = {}): Promise<Buffer> {
  // Required here, not imported: a process that renders no PDF never loads pdfkit (≈6 MB of heap).
  const PDFKit: typeof PDFDocument = require('pdfkit');
  const doc = new PDFKit({ size: 'A4', margin: 50, compress: options.compress ?? true, info: { Title: `Dispute evidence ${input.dispute.providerDisputeId}`, Producer: 'Rebuttal' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));

  const heading = (text: string) => doc.moveDown(0.8).font('Helvetica-Bold').fontSize(13).text(text).moveDown(0.3).font('Helvetica').fontSize(10);
  const line = (text: string) => doc.text(text, { width: 495 });
  const d = input.dispute;
  const r = input.records;

  doc.font('Helvetica-Bold').fontSize(18).text('Dispute evidence');
  doc.font('Helvetica').fontSize(10).moveDown(0.5);
  line(`${d.provider} dispute ${d.providerDisputeId} · ${REASON_WORDS[d.reason]} · ${d.amount ? formatMoney(d.amount) : 'amount unknown'}`);
  line(`Payment ${d.providerPaymentId ?? 'unknown'} · evidence due ${d.dueBy ?? 'not set'} · stage ${d.stage}`);
  if (packet.warnings?.length) {
    heading('Check before submitting');
    for (const w of packet.warnings) line(`! ${w}`);
  }
  heading('Summary');
  line(packet.letter);
  doc.moveDown(0.3);
  for (const item of packet.items) line(`• ${item.summary}`);

  if (r) {
    const o = r.order;
    heading(`Order ${r.orderId}`);
    if (r.source && r.source !== 'api') line(`From ${r.source}${r.match ? `, matched to the payment by ${r.match === 'payment_id' ? 'its payment id' : 'the customer\'s email and amount (weak match)'}` : ''}${originsText(r.origins)}`);
    line(`Placed ${o.placedAt} for ${formatMoney(o.amount)} by ${o.customer.name} <${o.customer.email}>${o.customer.phone ? `, ${o.customer.phone}` : ''}`);
    if (o.customer.billingAddress) line(`Billing address: ${formatAddress(o.customer.billingAddress)}`);
    if (o.customer.shippingAddress) line(`Shipping address: ${formatAddress(o.customer.shippingAddress)}`);
    for (const i of o.items) line(`${i.quantity} × ${i.description}${i.sku ? ` (SKU ${i.sku})` : ''}`);
    if (o.ip || o.checks) line(`IP ${o.ip ?? 'n/a'} · AVS ${o.checks?.avs ?? 'n/a'} · CVC ${o.checks?.cvc ?? 'n/a'} · 3-D Secure ${o.checks?.threeDSecure ?? 'n/a'}`);
    for (const s of r.shipments) {
      heading(`Shipment ${s.shipmentId}: ${s.carrier} ${s.trackingNumber}`);
      line(`Shipped ${s.shippedAt} · status ${s.status}${s.deliveredAt ? ` · delivered ${s.deliveredAt}` : ''}${s.signedBy ? ` · signed by ${s.signedBy}` : ''}${s.source && s.source !== 'api' ? ` · source ${s.source}` : ''}`);
      if (s.deliveryAddress) line(`Delivered to: ${formatAddress(s.deliveryAddress)}`);
      else if (s.deliveryLocation) line(`Delivery scan location: ${formatLocation(s.deliveryLocation)}`);
      if (packet.deliveryAddress?.shipmentId === s.shipmentId) {
        line(`Delivery address check: ${packet.deliveryAddress.result === 'match' ? 'MATCH' : 'MISMATCH'} (delivered ${packet.deliveryAddress.delivered}; order ships to ${packet.deliveryAddress.ordered})`);
      }
      if (s.tracking?.state === 'unknown') line(`Tracking: ${s.tracking.provider} cannot track this number (${s.tracking.reason ?? 'unknown'})`);
      if (s.proofOfDelivery) line(`Proof of delivery: ${s.proofOfDelivery}`);
      if (s.events?.length) line('Carrier scan history:');
      for (const e of s.events ?? []) line(`${e.at}  ${e.status}${e.location ? ` — ${e.location}` : ''}`);
    }
    if (r.messages.length) {
      heading('Conversation with the customer');
      line(transcript(r.messages));
    }
  }
  const p = input.policies;
  if (p.refund || p.shipping || p.cancellation || p.termsUrl) {
    heading('Policies shown to the customer');
    if (p.refund) line(`Refund: ${p.refund}`);
    if (p.shipping) line(`Shipping: ${p.shipping}`);
    if (p.cancellation) line(`Cancellation: ${p.cancellation}`);
    if (p.termsUrl) line(`Terms: ${p.termsUrl}`);
  }
  doc.end();
  return done;
}
