import type { Db } from '../db/pool';
import { findDispute } from '../disputes/repository';
import { portsOf, type ProviderPortMap } from '../ports';
import { assemblePacket, type EvidenceInput } from './packet';
import { latestPacket, storePacket, type StoredPacket } from './packets';
import { loadOrderRecords, loadPolicies, orderIdForPayment, priorUndisputedOrders } from './repository';

/** What the merchant has for this dispute: the linked order (found through the payment id), policies, history. */
export async function evidenceFor(db: Db, disputeId: string): Promise<EvidenceInput | undefined> {
  const dispute = await findDispute(db, disputeId);
  if (!dispute) return undefined;
  const orderId = dispute.orderId ?? (await orderIdForPayment(db, dispute.providerPaymentId)) ?? null;
  const records = orderId ? await loadOrderRecords(db, orderId) : undefined;
  const [policies, priorOrders] = await Promise.all([
    loadPolicies(db),
    records ? priorUndisputedOrders(db, records.order.customer.email, records.orderId) : Promise.resolve([]),
  ]);
  return { dispute: { ...dispute, orderId: records ? orderId : null }, records, policies, priorOrders };
}

/** What gathering needs: the store, and each provider's packet builder. */
export interface GatherDeps {
  db: Db;
  providers: ProviderPortMap;
}

/**
 * Gathers the evidence, builds the packet and the provider's payload, and stores it when its
 * content changed; the dispute shows the order it is linked to, completeness and what is missing.
 */
export async function gatherEvidence({ db, providers }: GatherDeps, disputeId: string): Promise<{ packet: StoredPacket; created: boolean } | undefined> {
  const input = await evidenceFor(db, disputeId);
  if (!input) return undefined;
  const packet = assemblePacket(input);
  const { truncations, ...providerPayload } = portsOf(providers, input.dispute.provider).buildEvidence(packet);
  // The dispute's summary first: whoever sees the new packet also sees it on the dispute.
  await db
    .updateTable('disputes')
    .set({ order_id: input.dispute.orderId, evidence_completeness: packet.completeness, evidence_missing: JSON.stringify(packet.missing) })
    .where('id', '=', disputeId)
    .execute();
  const stored = await storePacket(db, {
    ...packet,
    orderId: input.dispute.orderId,
    providerPayload,
    truncations,
    snapshot: { records: input.records, policies: input.policies, priorOrders: input.priorOrders },
  });
  return stored;
}

/** The latest packet, gathered now if there is none yet. */
export async function currentPacket(deps: GatherDeps, disputeId: string): Promise<StoredPacket | undefined> {
  return (await latestPacket(deps.db, disputeId)) ?? (await gatherEvidence(deps, disputeId))?.packet;
}
