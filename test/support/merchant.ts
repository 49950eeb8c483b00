import type { Dispute, Reason } from '../../src/disputes/model';
import type { Provider } from '../../src/db/schema';
import type { EvidenceInput } from '../../src/evidence/packet';
import { ImportLine, type Policies } from '../../src/evidence/records';
import type { OrderRecords } from '../../src/evidence/repository';
import { fixtureJson, fixtureText } from './fixtures';

export const RECORDS_FILE = 'merchant/records.ndjson';

/** The fixture merchant's records of one order, as loadOrderRecords returns them. */
export function fixtureRecords(orderId: string): OrderRecords {
  const lines = fixtureText(RECORDS_FILE).trim().split('\n').map((l) => ImportLine.parse(JSON.parse(l)));
  const order = lines.find((l) => l.type === 'order' && l.data.orderId === orderId)!;
  const { orderId: _o, ...orderData } = order.data as ImportLine['data'] & { orderId: string };
  return {
    orderId,
    order: orderData as OrderRecords['order'],
    shipments: lines.flatMap((l) => (l.type === 'shipment' && l.data.orderId === orderId ? [(({ orderId: _x, ...s }) => s)(l.data)] : [])),
    messages: lines.flatMap((l) => (l.type === 'message' && l.data.orderId === orderId ? [(({ orderId: _x, ...m }) => m)(l.data)] : [])),
  };
}

export const fixturePolicies = (): Policies => fixtureJson<Policies>('merchant/policies.json');

export function disputeFor(provider: Provider, reason: Reason, overrides: Partial<Dispute> = {}): Dispute {
  return {
    id: '6f1c1d2e-0000-4000-8000-000000000001',
    provider,
    providerDisputeId: `${provider}-dispute-1`,
    providerPaymentId: 'ch_3QkZq2LzW8xYp1Aa0n4dR7sT',
    orderId: 'order-10511',
    amount: { value: 4599, currency: 'USD' },
    reason,
    providerReason: reason,
    status: 'needs_response',
    providerStatus: 'needs_response',
    stage: 'chargeback',
    dueBy: '2026-12-15T14:05:11.000Z',
    openedAt: '2026-11-02T14:05:11.000Z',
    updatedAt: '2026-11-02T14:05:11.000Z',
    closedAt: null,
    outcome: null,
    evidence: { completeness: 0, missing: [], submittedAt: null },
    ...overrides,
  };
}

export function fixtureInput(provider: Provider, reason: Reason, records: OrderRecords | undefined = fixtureRecords('order-10511')): EvidenceInput {
  return { dispute: disputeFor(provider, reason), records, policies: fixturePolicies(), priorOrders: [{ orderId: 'order-09977', placedAt: '2026-06-02T10:00:00Z' }] };
}
