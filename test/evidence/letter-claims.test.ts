import fc from 'fast-check';
import { PROVIDER_NAMES as PROVIDERS, type BuiltInProviderName as Provider } from '../../src/providers';
import { REASONS, type Reason } from '../../src/disputes/model';
import { assemblePacket, type EvidenceInput, type Packet } from '../../src/evidence/packet';
import { EVIDENCE_KINDS, type EvidenceKind } from '../../src/evidence/playbooks';
import { buildPaypalEvidence } from '../../src/providers/paypal/packet';
import { buildSquareEvidence } from '../../src/providers/square/packet';
import { buildStripeEvidence } from '../../src/providers/stripe/packet';
import { fixtureInput } from '../support/merchant';

/**
 * The specification: which words of a letter, and which provider evidence types and fields,
 * claim which kind of evidence. Written apart from the code, so the test checks the code.
 */
const WORDS: Record<EvidenceKind, RegExp> = {
  order_details: /\bwas placed on\b/i,
  customer_identity: /\bbuyer was\b/i,
  product_description: /\bas sold\b|what was sold/i,
  shipping_carrier: /\bshipped with\b/i,
  tracking_number: /tracking number/i,
  delivery_confirmation: /\bdelivered\b|carrier confirms/i,
  delivery_address_match: /shipping address of the order/i,
  proof_of_delivery: /proof of delivery/i,
  tracking_history: /\bscans?\b/i,
  avs_cvc_match: /\bAVS\b|\bCVC\b|security code/i,
  three_d_secure: /3-D Secure/i,
  purchase_ip: /\bIP address\b/i,
  billing_address_match: /billing address/i,
  prior_undisputed_orders: /\bearlier\b|undisputed/i,
  refund_policy: /refund policy/i,
  cancellation_policy: /cancellation policy/i,
  customer_communication: /wrote to|transcript|\bmessages?\b/i,
};

/** Provider evidence types and fields → the kinds they claim (any one of them present is enough). */
const PAYPAL_CLAIMS: Record<string, EvidenceKind[]> = {
  RETURN_POLICY: ['refund_policy'],
  BILLING_AGREEMENT: ['cancellation_policy'],
  PROOF_OF_FULFILLMENT: ['tracking_number'],
  PROOF_OF_DELIVERY_SIGNATURE: ['proof_of_delivery'],
  ITEM_DESCRIPTION: ['product_description'],
  PROOF_OF_RECEIPT_COPY: ['order_details'],
};
const STRIPE_CLAIMS: Record<string, EvidenceKind[]> = {
  refund_policy: ['refund_policy'],
  refund_policy_disclosure: ['refund_policy'],
  cancellation_policy: ['cancellation_policy'],
  cancellation_policy_disclosure: ['cancellation_policy'],
  shipping_documentation: ['tracking_number', 'shipping_carrier'],
  shipping_tracking_number: ['tracking_number'],
  shipping_carrier: ['shipping_carrier'],
  customer_communication: ['customer_communication'],
  customer_purchase_ip: ['purchase_ip'],
  product_description: ['product_description'],
  receipt: ['order_details'],
  duplicate_charge_documentation: ['order_details'],
};
const SQUARE_CLAIMS: Record<string, EvidenceKind[]> = {
  CANCELLATION_OR_REFUND_DOCUMENTATION: ['refund_policy', 'cancellation_policy'],
  PROOF_OF_DELIVERY_DOCUMENTATION: ['delivery_confirmation'],
  TRACKING_NUMBER: ['tracking_number'],
  PRODUCT_OR_SERVICE_DESCRIPTION: ['product_description'],
  AUTHORIZATION_DOCUMENTATION: ['avs_cvc_match', 'three_d_secure'],
  ONLINE_OR_APP_ACCESS_LOG: ['purchase_ip'],
  CARDHOLDER_COMMUNICATION: ['customer_communication'],
  RECEIPT: ['order_details'],
  DUPLICATE_CHARGE_DOCUMENTATION: ['order_details'],
  RELATED_TRANSACTION_DOCUMENTATION: ['order_details'],
};

const ELSEWHERE = { line1: '9 Rue de Rivoli', city: 'Paris', postalCode: '75004', country: 'FR' };
const BILLED_ELSEWHERE = { line1: '1 Via del Corso', city: 'Roma', postalCode: '00186', country: 'IT' };

/** How the merchant's records come to lack each kind (some take others with them: no order, no order details). */
const REMOVE: Record<EvidenceKind, (input: EvidenceInput) => EvidenceInput> = {
  order_details: (i) => ({ ...i, records: undefined, priorOrders: [] }),
  customer_identity: (i) => ({ ...i, records: undefined, priorOrders: [] }),
  product_description: (i) => ({ ...i, records: undefined, priorOrders: [] }),
  shipping_carrier: (i) => withRecords(i, (r) => ({ ...r, shipments: [] })),
  tracking_number: (i) => withRecords(i, (r) => ({ ...r, shipments: [] })),
  delivery_confirmation: (i) => withRecords(i, (r) => ({ ...r, shipments: r.shipments.map(({ deliveredAt: _d, ...s }) => ({ ...s, status: 'in_transit' as const })) })),
  delivery_address_match: (i) => withRecords(i, (r) => ({ ...r, shipments: r.shipments.map((s) => ({ ...s, deliveryAddress: ELSEWHERE })) })),
  proof_of_delivery: (i) => withRecords(i, (r) => ({ ...r, shipments: r.shipments.map(({ proofOfDelivery: _p, ...s }) => s) })),
  tracking_history: (i) => withRecords(i, (r) => ({ ...r, shipments: r.shipments.map(({ events: _e, ...s }) => s) })),
  avs_cvc_match: (i) => withRecords(i, (r) => ({ ...r, order: { ...r.order, checks: { ...r.order.checks, avs: 'fail' } } })),
  three_d_secure: (i) => withRecords(i, (r) => ({ ...r, order: { ...r.order, checks: { ...r.order.checks, threeDSecure: 'not_used' } } })),
  purchase_ip: (i) => withRecords(i, (r) => ({ ...r, order: { ...r.order, ip: undefined } })),
  billing_address_match: (i) => withRecords(i, (r) => ({ ...r, order: { ...r.order, customer: { ...r.order.customer, billingAddress: BILLED_ELSEWHERE } } })),
  prior_undisputed_orders: (i) => ({ ...i, priorOrders: [] }),
  refund_policy: (i) => ({ ...i, policies: { ...i.policies, refund: undefined } }),
  cancellation_policy: (i) => ({ ...i, policies: { ...i.policies, cancellation: undefined } }),
  customer_communication: (i) => withRecords(i, (r) => ({ ...r, messages: [] })),
};

function withRecords(input: EvidenceInput, change: (r: NonNullable<EvidenceInput['records']>) => NonNullable<EvidenceInput['records']>): EvidenceInput {
  return input.records ? { ...input, records: change(input.records) } : input;
}

/** Every way the letter or a provider payload refers to evidence the packet does not hold. */
function falseClaims(provider: Provider, input: EvidenceInput, packet: Packet): string[] {
  const present = new Set(packet.items.map((i) => i.kind));
  const absent = EVIDENCE_KINDS.filter((k) => !present.has(k));
  const claims: string[] = [];
  const quoted = [input.policies.refund, input.policies.cancellation].filter((q): q is string => !!q);
  expect(packet.letter).toBe(packet.sentences.map((s) => s.text).join(' '));
  for (const sentence of packet.sentences) {
    for (const kind of sentence.restsOn) if (!present.has(kind)) claims.push(`letter rests on absent ${kind}: ${sentence.text}`);
    const ownWords = quoted.reduce((text, q) => text.replace(q, ''), sentence.text);
    for (const kind of absent) if (WORDS[kind].test(ownWords)) claims.push(`letter names absent ${kind}: ${sentence.text}`);
  }
  const check = (spec: Record<string, EvidenceKind[]>, name: string, where: string) => {
    const kinds = spec[name];
    if (kinds && !kinds.some((k) => present.has(k))) claims.push(`${where} ${name} without ${kinds.join('/')}`);
  };
  if (provider === 'paypal') {
    for (const e of buildPaypalEvidence(packet).input.evidences) {
      check(PAYPAL_CLAIMS, e.evidence_type, 'PayPal evidence type');
      if (e.evidence_info?.tracking_info.length && !present.has('tracking_number')) claims.push('PayPal tracking_info without tracking_number');
    }
  } else if (provider === 'stripe') {
    const stripe = buildStripeEvidence(packet);
    for (const field of Object.keys(stripe.evidence)) check(STRIPE_CLAIMS, field, 'Stripe field');
    check(STRIPE_CLAIMS, stripe.fileField, 'Stripe file field');
    const log = stripe.evidence.access_activity_log ?? '';
    for (const [kind, word] of [['avs_cvc_match', /AVS|CVC/], ['three_d_secure', /3-D Secure/], ['purchase_ip', /\bIP\b/]] as const) {
      if (!present.has(kind) && word.test(log)) claims.push(`Stripe access_activity_log names absent ${kind}`);
    }
  } else {
    const square = buildSquareEvidence(packet);
    for (const text of square.texts) check(SQUARE_CLAIMS, text.evidence_type, 'Square text');
    for (const file of square.files) check(SQUARE_CLAIMS, file.evidence_type, 'Square file');
    const refundDocs = [...square.texts, ...square.files].some((e) => e.evidence_type === 'CANCELLATION_OR_REFUND_DOCUMENTATION');
    const policy = packet.reason === 'subscription_canceled' ? 'cancellation_policy' : 'refund_policy';
    if (refundDocs && !present.has(policy)) claims.push(`Square CANCELLATION_OR_REFUND_DOCUMENTATION without ${policy}`);
  }
  return claims;
}

const KINDS = EVIDENCE_KINDS.filter((k) => k in REMOVE);

describe('letters and provider payloads claim only what the packet holds', () => {
  it('covers every evidence kind with a way to remove it', () => {
    expect(KINDS).toEqual([...EVIDENCE_KINDS]);
  });

  it('every reason × provider with each kind removed in turn: no sentence, evidence type or field refers to it', () => {
    for (const provider of PROVIDERS) {
      for (const reason of REASONS) {
        for (const kind of KINDS) {
          const input = REMOVE[kind](fixtureInput(provider, reason));
          const packet = assemblePacket(input);
          expect(packet.items.map((i) => i.kind)).not.toContain(kind);
          expect({ provider, reason, removed: kind, claims: falseClaims(provider, input, packet) }).toEqual({ provider, reason, removed: kind, claims: [] });
        }
      }
    }
  });

  it('holds for any combination of missing evidence and any conversation', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PROVIDERS),
        fc.constantFrom(...REASONS),
        fc.subarray([...KINDS], { minLength: 1 }),
        fc.constantFrom('inbound', 'outbound', 'both'),
        fc.boolean(),
        (provider: Provider, reason: Reason, removed: EvidenceKind[], conversation, productUrl) => {
          let input = fixtureInput(provider, reason);
          input = withRecords(input, (r) => ({
            ...r,
            order: { ...r.order, productUrl: productUrl ? r.order.productUrl : undefined },
            messages: conversation === 'both' ? r.messages : r.messages.filter((m) => m.direction === conversation),
          }));
          for (const kind of removed) input = REMOVE[kind](input);
          const packet = assemblePacket(input);
          const kinds = packet.items.map((i) => i.kind);
          for (const kind of removed) expect(kinds).not.toContain(kind);
          expect(falseClaims(provider, input, packet)).toEqual([]);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('a PayPal "credit not processed" dispute without a refund policy neither cites one nor sends RETURN_POLICY', () => {
    const input = REMOVE.refund_policy(fixtureInput('paypal', 'credit_not_processed'));
    const packet = assemblePacket(input);
    expect(packet.letter).not.toMatch(/refund policy/i);
    expect(packet.missing).toContain('refund_policy');
    expect(buildPaypalEvidence(packet).input.evidences.map((e) => e.evidence_type)).toEqual(['CREDIT_DUE_REASON']);
    expect(buildStripeEvidence(packet)).toMatchObject({ fileField: 'uncategorized_file' });
    expect(buildStripeEvidence(packet).evidence.refund_policy_disclosure).toBeUndefined();
    expect(buildSquareEvidence(packet).files[0]!.evidence_type).toBe('GENERIC_EVIDENCE');
  });

  it('with the refund policy recorded, the letter says so and names the policy as what it rests on', () => {
    const input = fixtureInput('paypal', 'credit_not_processed');
    const packet = assemblePacket(input);
    expect(packet.sentences).toContainEqual({ text: 'None is owed under our refund policy, quoted below.', restsOn: ['refund_policy'] });
    expect(buildPaypalEvidence(packet).input.evidences.map((e) => e.evidence_type)).toEqual(['RETURN_POLICY', 'CREDIT_DUE_REASON']);
  });
});
