import express from 'express';
import type { Queue } from 'bullmq';
import { z } from 'zod';
import type { Db } from '../../db/pool';
import { importRecords } from '../../evidence/import';
import { MessageBody, OrderBody, PoliciesBody, ShipmentBody } from '../../evidence/records';
import { regatherForOrders } from '../../evidence/regather';
import { OrderNotFound, putMessage, putOrder, putPolicies, putShipment } from '../../evidence/repository';
import { HttpError } from '../errors';

const Id = z.string().min(1).max(200);

/** The merchant's records: PUT replaces, idempotent on ids; POST /import takes NDJSON. */
export function recordsApi(deps: { db: Db; evidence: Queue }): express.Router {
  const router = express.Router();
  const afterChange = async (changed: boolean, orderId: string) => {
    if (changed) await regatherForOrders(deps.db, deps.evidence, [orderId]).catch(() => undefined);
  };
  const orderMissing = (err: unknown) => {
    if (err instanceof OrderNotFound) throw new HttpError(404, 'order_not_found');
    throw err;
  };

  router.put('/orders/:orderId', async (req, res) => {
    const orderId = Id.parse(req.params.orderId);
    const order = OrderBody.parse(req.body);
    const changed = await putOrder(deps.db, orderId, order);
    await afterChange(changed, orderId);
    res.json({ orderId, changed });
  });

  router.put('/orders/:orderId/shipments/:shipmentId', async (req, res) => {
    const [orderId, shipmentId] = [Id.parse(req.params.orderId), Id.parse(req.params.shipmentId)];
    const changed = await putShipment(deps.db, orderId, shipmentId, ShipmentBody.parse(req.body)).catch(orderMissing);
    await afterChange(changed, orderId);
    res.json({ orderId, shipmentId, changed });
  });

  router.put('/orders/:orderId/messages/:messageId', async (req, res) => {
    const [orderId, messageId] = [Id.parse(req.params.orderId), Id.parse(req.params.messageId)];
    const changed = await putMessage(deps.db, orderId, messageId, MessageBody.parse(req.body)).catch(orderMissing);
    await afterChange(changed, orderId);
    res.json({ orderId, messageId, changed });
  });

  router.put('/policies', async (req, res) => {
    res.json({ changed: await putPolicies(deps.db, PoliciesBody.parse(req.body)) });
  });

  router.post('/import', express.text({ type: () => true, limit: '20mb' }), async (req, res) => {
    if (typeof req.body !== 'string' || req.body.trim() === '') throw new HttpError(400, 'invalid_request', [{ message: 'send NDJSON lines as the body' }]);
    const report = await importRecords(deps.db, req.body);
    await regatherForOrders(deps.db, deps.evidence, report.changedOrders).catch(() => undefined);
    res.json({ accepted: report.accepted, rejected: report.rejected });
  });

  return router;
}
