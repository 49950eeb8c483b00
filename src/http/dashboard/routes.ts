import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import express, { type NextFunction, type Request, type Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { listAlerts } from '../../alerts/repository';
import { findEvent, listEvents } from '../../db/events';
import { findDispute, listDisputes, timelineOf } from '../../disputes/repository';
import { currentPacket } from '../../evidence/gather';
import { ShipmentBody } from '../../evidence/records';
import { regatherForOrders } from '../../evidence/regather';
import { putShipment } from '../../evidence/repository';
import { redriveEvent } from '../../queue/events';
import type { Runtime } from '../../runtime';
import { listSubmissions } from '../../submission/repository';
import { requestResponse, ResponseRefused } from '../../submission/request';
import { parseDuration } from '../../time';
import { page } from './layout';
import { confirmPage, disputePage, disputesPage, eventsPage, loginPage } from './pages';
import { endSession, hasSession, sameOrigin, startSession } from './session';

const flashOf = (req: Request) => (typeof req.query.flash === 'string' ? req.query.flash.slice(0, 200) : undefined);

/** The staff pages: served by the receiver, behind the same ADMIN_TOKEN (a login form, then an http-only cookie). */
export function dashboardRouter(runtime: Runtime): express.Router {
  const { db, queues, adminToken } = runtime;
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '10kb' });

  router.get('/login', (req, res) => {
    res.type('html').send(page('Sign in', loginPage(false), { signedIn: false }));
  });
  router.post('/login', form, (req, res) => {
    const given = Buffer.from(typeof req.body?.token === 'string' ? req.body.token : '');
    const expected = Buffer.from(adminToken);
    if (given.length === expected.length && timingSafeEqual(given, expected)) {
      startSession(req, res, adminToken);
      res.redirect(303, '/');
      return;
    }
    res.status(401).type('html').send(page('Sign in', loginPage(true), { signedIn: false }));
  });
  router.post('/logout', (req, res) => {
    endSession(req, res);
    res.redirect(303, '/login');
  });

  const signedIn = (req: Request, res: Response, next: NextFunction) => {
    if (!hasSession(req, adminToken)) return res.redirect(303, '/login');
    if (req.method === 'POST' && !sameOrigin(req)) return res.status(403).type('html').send(page('Refused', loginPage(false), { flash: 'That request did not come from this dashboard.', error: true }));
    next();
  };

  const board = new ExpressAdapter();
  board.setBasePath('/admin/queues');
  createBullBoard({ queues: Object.values(queues).map((q) => new BullMQAdapter(q)), serverAdapter: board });
  router.use('/admin/queues', signedIn, board.getRouter());

  router.get('/', signedIn, async (req, res) => {
    const filter = {
      status: typeof req.query.status === 'string' && req.query.status ? req.query.status : undefined,
      provider: typeof req.query.provider === 'string' && req.query.provider ? req.query.provider : undefined,
      dueWithin: typeof req.query.dueWithin === 'string' && req.query.dueWithin ? req.query.dueWithin : undefined,
    };
    const within = filter.dueWithin ? parseDuration(filter.dueWithin) : undefined;
    const disputes = await listDisputes(db, {
      status: filter.status as never,
      provider: filter.provider as never,
      dueBefore: within === undefined ? undefined : new Date(Date.now() + within),
    });
    res.type('html').send(page('Disputes', disputesPage(disputes, filter, new Date()), { flash: flashOf(req) }));
  });

  router.get('/disputes/:id', signedIn, async (req, res) => {
    const dispute = await findDispute(db, String(req.params.id));
    if (!dispute) return res.status(404).type('html').send(page('Not found', disputesPage([], {}, new Date()), { flash: 'No such dispute.', error: true }));
    const [timeline, packet, submissions, alerts] = await Promise.all([
      timelineOf(db, dispute.id),
      currentPacket(db, dispute.id),
      listSubmissions(db, dispute.id),
      listAlerts(db, dispute.id),
    ]);
    res.type('html').send(page(`Dispute ${dispute.providerDisputeId}`, disputePage({ dispute, timeline, packet, submissions, alerts }, new Date()), { flash: flashOf(req) }));
  });

  router.get('/disputes/:id/confirm', signedIn, async (req, res) => {
    const dispute = await findDispute(db, String(req.params.id));
    const action = req.query.action === 'accept' ? 'accept' : 'submit';
    if (!dispute) return res.redirect(303, '/');
    res.type('html').send(page('Confirm', confirmPage(dispute, action)));
  });

  for (const action of ['submit', 'accept'] as const) {
    router.post(`/disputes/:id/${action}`, signedIn, async (req, res) => {
      const id = String(req.params.id);
      let flash: string;
      try {
        const submission = await requestResponse({ db, submissions: queues.submissions }, { disputeId: id, kind: action, requestedBy: 'staff' });
        flash = `${action === 'submit' ? 'Submission' : 'Acceptance'} ${submission.status}: it is sent to the provider in the background.`;
      } catch (err) {
        if (!(err instanceof ResponseRefused)) throw err;
        flash = `Not sent: ${err.reason}.`;
      }
      res.redirect(303, `/disputes/${encodeURIComponent(id)}?flash=${encodeURIComponent(flash)}`);
    });
  }

  router.post('/disputes/:id/shipments', signedIn, form, async (req, res) => {
    const id = String(req.params.id);
    const back = (flash: string) => res.redirect(303, `/disputes/${encodeURIComponent(id)}?flash=${encodeURIComponent(flash)}`);
    const dispute = await findDispute(db, id);
    if (!dispute?.orderId) return back('Not saved: this dispute has no linked order.');
    const day = (value: unknown) => (typeof value === 'string' && value ? `${value}T12:00:00Z` : undefined);
    const parsed = ShipmentBody.safeParse({
      carrier: req.body?.carrier,
      trackingNumber: req.body?.trackingNumber,
      shippedAt: day(req.body?.shippedAt),
      deliveredAt: day(req.body?.deliveredAt),
      status: req.body?.status,
    });
    if (!parsed.success) return back(`Not saved: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    await putShipment(db, dispute.orderId, `dashboard-${Date.now()}`, parsed.data);
    await regatherForOrders(db, queues.evidence, [dispute.orderId]);
    back('Shipment saved; the evidence packet is being gathered again.');
  });

  router.get('/events', signedIn, async (req, res) => {
    res.type('html').send(page('Events', eventsPage(await listEvents(db, { limit: 200 })), { flash: flashOf(req) }));
  });

  router.post('/events/:id/redrive', signedIn, async (req, res) => {
    const event = await findEvent(db, String(req.params.id));
    if (event) await redriveEvent(db, queues.events, event.id);
    res.redirect(303, `/events?flash=${encodeURIComponent(event ? `Event ${event.providerEventId} queued again.` : 'No such event.')}`);
  });

  return router;
}
