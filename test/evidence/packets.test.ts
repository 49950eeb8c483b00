import { PROVIDER_NAMES } from '../../src/providers';
import { REASONS } from '../../src/disputes/model';
import { assemblePacket } from '../../src/evidence/packet';
import { PLAYBOOKS } from '../../src/evidence/playbooks';
import { buildPaypalEvidence, PAYPAL_NOTES_LIMIT } from '../../src/providers/paypal/packet';
import { buildSquareEvidence, SQUARE_TEXT_LIMIT } from '../../src/providers/square/packet';
import { buildStripeEvidence, STRIPE_FIELD_LIMIT, STRIPE_TOTAL_LIMIT } from '../../src/providers/stripe/packet';
import { fixtureInput, fixtureRecords } from '../support/merchant';

const STRIPE_TEXT_FIELDS = ['access_activity_log', 'billing_address', 'cancellation_policy_disclosure', 'cancellation_rebuttal', 'customer_email_address', 'customer_name', 'customer_purchase_ip', 'duplicate_charge_explanation', 'product_description', 'refund_policy_disclosure', 'refund_refusal_explanation', 'service_date', 'shipping_address', 'shipping_carrier', 'shipping_date', 'shipping_tracking_number', 'uncategorized_text'];
const STRIPE_FILE_FIELDS = ['cancellation_policy', 'customer_communication', 'customer_signature', 'duplicate_charge_documentation', 'receipt', 'refund_policy', 'service_documentation', 'shipping_documentation', 'uncategorized_file'];
const PAYPAL_TYPES = ['PROOF_OF_FULFILLMENT', 'PROOF_OF_DELIVERY_SIGNATURE', 'PROOF_OF_REFUND', 'PROOF_OF_RECEIPT_COPY', 'RETURN_POLICY', 'BILLING_AGREEMENT', 'PROOF_OF_RESHIPMENT', 'ITEM_DESCRIPTION', 'PAID_WITH_OTHER_METHOD', 'CREDIT_DUE_REASON', 'PROOF_OF_RETURN', 'OTHER'];
const SQUARE_TYPES = ['GENERIC_EVIDENCE', 'ONLINE_OR_APP_ACCESS_LOG', 'AUTHORIZATION_DOCUMENTATION', 'CANCELLATION_OR_REFUND_DOCUMENTATION', 'CARDHOLDER_COMMUNICATION', 'CARDHOLDER_INFORMATION', 'PURCHASE_ACKNOWLEDGEMENT', 'DUPLICATE_CHARGE_DOCUMENTATION', 'PRODUCT_OR_SERVICE_DESCRIPTION', 'RECEIPT', 'SERVICE_RECEIVED_DOCUMENTATION', 'PROOF_OF_DELIVERY_DOCUMENTATION', 'RELATED_TRANSACTION_DOCUMENTATION', 'REBUTTAL_EXPLANATION', 'TRACKING_NUMBER'];

describe('evidence packets: each provider × each canonical reason', () => {
  const cases = PROVIDER_NAMES.flatMap((provider) => REASONS.map((reason) => [provider, reason] as const));

  it.each(cases)('%s / %s: the payload uses only the provider\'s documented names, within its limits', (provider, reason) => {
    const input = fixtureInput(provider, reason);
    const packet = assemblePacket(input);
    expect(packet.completeness).toBeGreaterThanOrEqual(0);
    expect(packet.completeness).toBeLessThanOrEqual(1);
    const playbookKinds = PLAYBOOKS[reason].map(([kind]) => kind);
    expect(playbookKinds).toEqual(expect.arrayContaining(packet.missing));
    expect(packet.letter.length).toBeGreaterThan(40);

    if (provider === 'stripe') {
      const stripe = buildStripeEvidence(packet);
      expect(STRIPE_TEXT_FIELDS).toEqual(expect.arrayContaining(Object.keys(stripe.evidence)));
      expect(STRIPE_FILE_FIELDS).toContain(stripe.fileField);
      for (const text of Object.values(stripe.evidence)) expect(text.length).toBeLessThanOrEqual(STRIPE_FIELD_LIMIT);
      expect(Object.values(stripe.evidence).join('').length).toBeLessThanOrEqual(STRIPE_TOTAL_LIMIT);
      expect(stripe.evidence.uncategorized_text).toContain(packet.letter);
    } else if (provider === 'paypal') {
      const paypal = buildPaypalEvidence(packet);
      expect(paypal.input.evidences.length).toBeGreaterThan(0);
      for (const evidence of paypal.input.evidences) {
        expect(PAYPAL_TYPES).toContain(evidence.evidence_type);
        expect(evidence.notes.length).toBeLessThanOrEqual(PAYPAL_NOTES_LIMIT);
        for (const tracking of evidence.evidence_info?.tracking_info ?? []) expect(tracking).toMatchObject({ carrier_name: expect.any(String), tracking_number: expect.any(String) });
      }
      expect(paypal.input.evidences[0]!.documents).toEqual([{ name: 'rebuttal-evidence.pdf' }]);
    } else {
      const square = buildSquareEvidence(packet);
      for (const text of square.texts) {
        expect(SQUARE_TYPES).toContain(text.evidence_type);
        expect(text.evidence_text.length).toBeLessThanOrEqual(SQUARE_TEXT_LIMIT);
      }
      expect(square.texts.map((t) => t.evidence_type)).toContain('REBUTTAL_EXPLANATION');
      expect(SQUARE_TYPES).toContain(square.files[0]!.evidence_type);
    }
  });

  it('a not-received packet carries carrier, tracking, delivery and the matching address', () => {
    const input = fixtureInput('stripe', 'product_not_received');
    const packet = assemblePacket(input);
    expect(packet).toMatchObject({ completeness: 1, missing: [] });
    expect(buildStripeEvidence(packet).evidence).toMatchObject({
      shipping_carrier: 'UPS',
      shipping_tracking_number: '1Z999AA10123456784',
      shipping_date: '2026-10-21',
      shipping_address: 'Calle de Alcalá 48, 3º B, Madrid, 28014, ES',
    });
    expect(buildPaypalEvidence(packet).input.evidences).toEqual([
      expect.objectContaining({ evidence_type: 'PROOF_OF_FULFILLMENT', evidence_info: { tracking_info: [{ carrier_name: 'UPS', tracking_number: '1Z999AA10123456784' }] } }),
      expect.objectContaining({ evidence_type: 'PROOF_OF_DELIVERY_SIGNATURE' }),
    ]);
    expect(buildSquareEvidence(packet).texts).toContainEqual({ evidence_type: 'TRACKING_NUMBER', evidence_text: 'UPS 1Z999AA10123456784, delivered 2026-10-29' });
  });

  it('a fraud packet proves the cardholder: AVS/CVC, 3-D Secure, IP, billing address, earlier undisputed orders', () => {
    const packet = assemblePacket(fixtureInput('stripe', 'fraud'));
    expect(packet.missing).toEqual([]);
    expect(packet.items.map((i) => i.kind)).toEqual(expect.arrayContaining(['avs_cvc_match', 'three_d_secure', 'purchase_ip', 'billing_address_match', 'prior_undisputed_orders']));
    expect(buildStripeEvidence(packet).evidence.access_activity_log).toBe('Order placed from IP 83.44.120.17 on 2026-10-20T09:12:44Z. AVS: pass. CVC: pass. 3-D Secure: authenticated.');
  });

  it('a dispute with no order still gets a packet, with everything missing listed', () => {
    const input = { ...fixtureInput('square', 'product_not_received'), records: undefined, priorOrders: [] };
    const packet = assemblePacket(input);
    expect(packet.completeness).toBe(0);
    expect(packet.missing).toEqual(PLAYBOOKS.product_not_received.map(([kind]) => kind));
    expect(buildSquareEvidence(packet).texts.map((t) => t.evidence_type)).toEqual(['REBUTTAL_EXPLANATION']);
  });

  it('an in-transit shipment to an unmatched address leaves delivery evidence missing and completeness partial', () => {
    const records = fixtureRecords('order-10644');
    const packet = assemblePacket({ ...fixtureInput('paypal', 'product_not_received', records), priorOrders: [] });
    expect(packet.missing).toEqual(expect.arrayContaining(['delivery_confirmation', 'proof_of_delivery']));
    expect(packet.completeness).toBeGreaterThan(0);
    expect(packet.completeness).toBeLessThan(1);
  });

  it('over-long conversations are cut to each limit, and each cut is noted', () => {
    const records = fixtureRecords('order-10511');
    records.messages.push({ messageId: 'long', channel: 'email', direction: 'inbound', from: 'mateo.alvarez@example.es', at: '2026-11-01T10:00:00Z', body: 'Lorem ipsum dolor sit amet. '.repeat(1500) });
    const input = fixtureInput('stripe', 'product_unacceptable', records);
    const packet = assemblePacket(input);
    const stripe = buildStripeEvidence(packet);
    expect(stripe.evidence.uncategorized_text).toHaveLength(STRIPE_FIELD_LIMIT);
    expect(stripe.evidence.uncategorized_text!.endsWith('[…truncated: the full text is in the attached PDF]')).toBe(true);
    expect(stripe.truncations).toEqual([{ field: 'uncategorized_text', originalLength: expect.any(Number), keptLength: STRIPE_FIELD_LIMIT }]);
    const square = buildSquareEvidence(packet);
    expect(square.truncations.map((t) => t.field)).toContain('CARDHOLDER_COMMUNICATION');
    const notReceived = fixtureInput('paypal', 'product_not_received', records);
    const paypal = buildPaypalEvidence(assemblePacket(notReceived));
    expect(paypal.truncations.map((t) => t.field)).toContain('PROOF_OF_FULFILLMENT.notes');
    expect(paypal.input.evidences.every((e) => e.notes.length <= PAYPAL_NOTES_LIMIT)).toBe(true);
  });
});
