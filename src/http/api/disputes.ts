import express from 'express';
import { z } from 'zod';
import { inOneSnapshot, type Db } from '../../db/pool';
import type { ProviderPortMap } from '../../ports';
import { PROVIDER_NAMES } from '../../providers';
import { DISPUTE_STATUSES } from '../../disputes/model';
import { findDispute, listDisputes, timelineOf } from '../../disputes/repository';
import { listAlerts } from '../../alerts/repository';
import { currentPacket, evidenceFor } from '../../evidence/gather';
import { latestPacket } from '../../evidence/packets';
import { renderPacketPdf } from '../../evidence/pdf';
import { conversationOf } from '../../sources/conversation';
import { pullsOfDispute } from '../../sources/repository';
import { orderView, shipmentsView } from '../../sources/commerce/view';
import { listSubmissions } from '../../submission/repository';
import { HttpError } from '../errors';
import { recommendationsFor, type ResolutionSettings } from '../../resolution/recommendations';

const ListQuery = z.object({
  status: z.enum(DISPUTE_STATUSES).optional(),
  provider: z.enum(PROVIDER_NAMES).optional(),
  dueBefore: z.iso.datetime({ offset: true }).transform((v) => new Date(v)).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

export function disputesApi(deps: { db: Db; providers: ProviderPortMap; resolution: ResolutionSettings }): express.Router {
  const router = express.Router();

  router.get('/disputes', async (req, res) => {
    const disputes = await listDisputes(deps.db, ListQuery.parse(req.query));
    const recommendations = await recommendationsFor(deps.db, disputes, deps.resolution);
    res.json({ disputes: disputes.map((d) => ({ ...d, recommendation: recommendations.get(d.id) ?? null })) });
  });

  router.get('/disputes/:id', async (req, res) => {
    // One snapshot: a gathering that commits between two reads must not pair the dispute's old
    // summary (order, completeness) with its new packet.
    const view = await inOneSnapshot(deps.db, async (trx) => {
      const dispute = await findDispute(trx, req.params.id);
      if (!dispute) return undefined;
      const [timeline, submissions, packet, alerts, evidence, sources] = await Promise.all([
        timelineOf(trx, dispute.id),
        listSubmissions(trx, dispute.id),
        latestPacket(trx, dispute.id),
        listAlerts(trx, dispute.id),
        evidenceFor(trx, dispute.id),
        pullsOfDispute(trx, dispute.id),
      ]);
      return { dispute, timeline, submissions, packet, alerts, evidence, sources };
    });
    if (!view) throw new HttpError(404, 'dispute_not_found');
    const { dispute, timeline, submissions, packet, alerts, evidence, sources } = view;
    // After the snapshot: a dispute older than recommendations gets one computed and stored here.
    const recommendations = await recommendationsFor(deps.db, [dispute], deps.resolution);
    const packetSummary = packet && {
      hash: packet.hash,
      createdAt: packet.createdAt,
      completeness: packet.completeness,
      missing: packet.missing,
      truncations: packet.truncations,
      deliveryAddress: packet.deliveryAddress ?? null,
      warnings: packet.warnings ?? [],
    };
    res.json({
      ...dispute,
      recommendation: recommendations.get(dispute.id) ?? null,
      timeline,
      packet: packetSummary ?? null,
      submissions,
      alerts,
      order: orderView(evidence?.records),
      shipments: shipmentsView(evidence?.records),
      conversation: conversationOf(evidence?.records),
      sources,
    });
  });

  const packetOf = async (id: string) => {
    const dispute = await findDispute(deps.db, id);
    const packet = dispute && (await currentPacket(deps, dispute.id));
    if (!dispute || !packet) throw new HttpError(404, 'dispute_not_found');
    return { dispute, packet };
  };

  router.get('/disputes/:id/packet', async (req, res) => {
    const { packet } = await packetOf(req.params.id);
    const { snapshot: _snapshot, disputeId: _d, ...shown } = packet;
    res.json(shown);
  });

  router.get('/disputes/:id/packet.pdf', async (req, res) => {
    const { dispute, packet } = await packetOf(req.params.id);
    const pdf = await renderPacketPdf(packet, { dispute, ...packet.snapshot });
    res.type('application/pdf').set('content-disposition', `inline; filename="dispute-${dispute.providerDisputeId}.pdf"`).send(pdf);
  });

  return router;
}
