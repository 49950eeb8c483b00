import { sql } from 'kysely';
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
 * One gathering per dispute at a time (an advisory lock for the transaction): two evidence jobs
 * of one dispute (it opened, its order arrived) would otherwise leave the dispute's summary from
 * the older records beside the packet of the newer ones.
 */
export async function gatherEvidence({ db, providers }: GatherDeps, disputeId: string): Promise<{ packet: StoredPacket; created: boolean } | undefined> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`evidence:${disputeId}`}))`.execute(trx);
    const input = await evidenceFor(trx, disputeId);
    if (!input) return undefined;
    const packet = assemblePacket(input);
    const { truncations, ...providerPayload } = portsOf(providers, input.dispute.provider).buildEvidence(packet);
    // The dispute's summary first: whoever sees the new packet also sees it on the dispute.
    await trx
      .updateTable('disputes')
      .set({ order_id: input.dispute.orderId, evidence_completeness: packet.completeness, evidence_missing: JSON.stringify(packet.missing) })
      .where('id', '=', disputeId)
      .execute();
    return storePacket(trx, {
      ...packet,
      orderId: input.dispute.orderId,
      providerPayload,
      truncations,
      snapshot: { records: input.records, policies: input.policies, priorOrders: input.priorOrders },
    });
  });
}

/** The latest packet, gathered now if there is none yet. */
export async function currentPacket(deps: GatherDeps, disputeId: string): Promise<StoredPacket | undefined> {
  return (await latestPacket(deps.db, disputeId)) ?? (await gatherEvidence(deps, disputeId))?.packet;
}
