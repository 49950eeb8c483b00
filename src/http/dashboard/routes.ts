import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import express, { type NextFunction, type Request, type Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { listAlerts } from '../../alerts/repository';
import { findEvent, listEvents } from '../../db/events';
import { isUuid } from '../../db/ids';
import { EVENT_STATUSES } from '../../db/schema';
import { PROVIDER_NAMES } from '../../providers';
import { DISPUTE_STATUSES } from '../../disputes/model';
import { findDispute, listDisputes, timelineOf } from '../../disputes/repository';
import { currentPacket } from '../../evidence/gather';
import { latestPacket } from '../../evidence/packets';
import { inOneSnapshot } from '../../db/pool';
import { ShipmentBody } from '../../evidence/records';
import { regatherForOrders } from '../../evidence/regather';
import { putShipment } from '../../evidence/repository';
import { redriveEvent } from '../../queue/events';
import type { Runtime } from '../../runtime';
import { listSubmissions } from '../../submission/repository';
import { requestResponse, ResponseRefused } from '../../submission/request';
import { parseDuration } from '../../time';
import { SCRIPT, STYLESHEET } from './assets';
import { insightsRoutes } from './insights-routes';
import { disputePage } from './dispute-page';
import { html } from './html';
import { reconcilePanel } from './reconcile-panel';
import { listersOf } from '../../ports';
import { reconcileStatuses } from '../../reconcile/repository';
import { sourcesPage } from './sources-page';
import { requestSync } from '../../sources/requests';
import { sourceStatuses } from '../../sources/status';
import { actionsOfDispute } from '../../sources/repository';
import { page, type PageOptions } from './layout';
import { confirmPage, disputesPage, DUE_WITHIN, eventsPage, loginPage, messagePage, SHOW, SHOW_STATUSES } from './pages';
import { resolutionRoutes } from './resolution-routes';
import { recommendationsFor } from '../../resolution/recommendations';
import { endSession, hasSession, isCrossSiteChange, safeReturnPath, startSession } from './session';

/** Our pages run no inline code and load nothing from elsewhere, and nobody may frame them (the Submit button). */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};

function sendPage(res: Response, status: number, title: string, body: Parameters<typeof page>[1], options?: PageOptions): void {
  res.status(status).set(PAGE_HEADERS).type('html').send(page(title, body, options));
}

/** Filters from the query string: a value we do not know is ignored rather than refused. */
const known = <T extends string>(values: readonly T[]) => z.enum(values).optional().catch(undefined);
const DisputeFilterQuery = z.object({
  show: known(SHOW),
  status: known(DISPUTE_STATUSES),
  provider: known(PROVIDER_NAMES),
  dueWithin: known(DUE_WITHIN),
});
const EventFilterQuery = z.object({
  status: known(EVENT_STATUSES),
  provider: known(PROVIDER_NAMES),
});

const flashOf = (req: Request) => (typeof req.query.flash === 'string' ? req.query.flash.slice(0, 200) : undefined);
const withFlash = (path: string, flash: string) => `${path}?flash=${encodeURIComponent(flash)}`;

/**
 * The staff pages: served by the receiver, behind the same ADMIN_TOKEN (a login form, then an
 * http-only cookie). They read and act through the same repository and submission functions as
 * the admin API, in this process: one code path, no HTTP round trip to ourselves.
 */
export function dashboardRouter(runtime: Runtime): express.Router {
  const { db, queues, adminToken, config } = runtime;
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '10kb' });

  router.get('/assets/dashboard.css', (_req, res) => {
    res.type('css').set('cache-control', 'no-cache').send(STYLESHEET);
  });
  router.get('/assets/dashboard.js', (_req, res) => {
    res.type('js').set('cache-control', 'no-cache').send(SCRIPT);
  });

  router.get('/login', (req, res) => {
    sendPage(res, 200, 'Sign in', loginPage({ failed: false, next: safeReturnPath(req.query.next) }), { signedIn: false });
  });
  router.post('/login', form, (req, res) => {
    const next = safeReturnPath(req.body?.next);
    const given = Buffer.from(typeof req.body?.token === 'string' ? req.body.token : '');
    const expected = Buffer.from(adminToken);
    if (given.length === expected.length && timingSafeEqual(given, expected)) {
      startSession(req, res, adminToken);
      res.redirect(303, next);
      return;
    }
    sendPage(res, 401, 'Sign in', loginPage({ failed: true, next }), { signedIn: false });
  });
  router.post('/logout', (req, res) => {
    endSession(req, res);
    res.redirect(303, '/login');
  });
  // For the login page's script: is the Strict cookie there when the request is same-site?
  router.get('/session', (req, res) => {
    res.set('cache-control', 'no-store').status(hasSession(req, adminToken) ? 204 : 401).end();
  });

  const signedIn = (req: Request, res: Response, next: NextFunction) => {
    if (!hasSession(req, adminToken)) {
      const back = req.method === 'GET' ? safeReturnPath(req.originalUrl) : '/';
      return res.redirect(303, back === '/' ? '/login' : `/login?next=${encodeURIComponent(back)}`);
    }
    if (isCrossSiteChange(req)) return sendPage(res, 403, 'Refused', messagePage('Refused', 'That change did not come from this dashboard\'s own pages.'));
    next();
  };

  const board = new ExpressAdapter();
  board.setBasePath('/admin/queues');
  createBullBoard({ queues: Object.values(queues).map((q) => new BullMQAdapter(q)), serverAdapter: board });
  router.use('/admin/queues', signedIn, board.getRouter());

  router.use(insightsRoutes(runtime, signedIn, sendPage));

  router.get('/', signedIn, async (req, res) => {
    const filter = DisputeFilterQuery.parse(req.query);
    // A chosen status is the finer filter; otherwise the view decides, needing action by default.
    const show = filter.status ? 'all' : (filter.show ?? 'needs_action');
    const listed = await listDisputes(db, {
      status: filter.status,
      statuses: SHOW_STATUSES[show],
      provider: filter.provider,
      dueBefore: filter.dueWithin ? new Date(Date.now() + parseDuration(filter.dueWithin)!) : undefined,
    });
    // Closed ones read best most recently closed first; open ones soonest deadline first.
    const disputes = show === 'closed' ? [...listed].sort((a, b) => (b.closedAt ?? '').localeCompare(a.closedAt ?? '')) : listed;
    const reconciled = await reconcileStatuses(db, [...listersOf(runtime.providers.ports).keys()]);
    const recommendations = await recommendationsFor(db, disputes, config.resolution);
    sendPage(res, 200, 'Disputes', html`${disputesPage(disputes, filter, new Date(), recommendations)}${reconcilePanel(reconciled)}`, { current: 'disputes', flash: flashOf(req) });
  });

  router.get('/disputes/:id', signedIn, async (req, res) => {
    const id = String(req.params.id);
    // One snapshot, as GET /api/disputes/:id reads: a gathering that commits between two reads
    // must not pair the dispute's old summary (order, completeness) with its new packet.
    const read = () =>
      inOneSnapshot(db, async (snapshot) => {
        const dispute = await findDispute(snapshot, id);
        if (!dispute) return undefined;
        const [timeline, packet, submissions, alerts, helpdesk] = await Promise.all([
          timelineOf(snapshot, dispute.id),
          latestPacket(snapshot, dispute.id),
          listSubmissions(snapshot, dispute.id),
          listAlerts(snapshot, dispute.id),
          actionsOfDispute(snapshot, dispute.id),
        ]);
        return { dispute, timeline, packet, submissions, alerts, helpdesk };
      });
    let view = await read();
    // No packet yet: staff get one gathered now rather than wait for the workers, then all of it read again.
    if (view && !view.packet && (await currentPacket({ db, providers: runtime.providers.ports }, view.dispute.id))) view = await read();
    if (!view) return sendPage(res, 404, 'Not found', messagePage('Not found', 'There is no such dispute.'), { current: 'disputes' });
    // After the snapshot: a dispute older than recommendations gets one computed and stored here.
    const recommendations = await recommendationsFor(db, [view.dispute], config.resolution);
    const shown = { ...view, recommendation: recommendations.get(view.dispute.id) ?? null };
    sendPage(res, 200, `Dispute ${view.dispute.providerDisputeId}`, disputePage(shown, new Date()), { current: 'disputes', flash: flashOf(req) });
  });

  // Offers, messages and refunds: their forms, confirmation steps and warnings page.
  router.use(resolutionRoutes({ db, submissions: queues.submissions, providers: runtime.providers.ports }, { signedIn, form, sendPage, withFlash }));

  router.get('/disputes/:id/confirm', signedIn, async (req, res) => {
    const dispute = await findDispute(db, String(req.params.id));
    if (!dispute) return sendPage(res, 404, 'Not found', messagePage('Not found', 'There is no such dispute.'), { current: 'disputes' });
    sendPage(res, 200, 'Confirm', confirmPage(dispute, req.query.action === 'accept' ? 'accept' : 'submit'), { current: 'disputes' });
  });

  for (const action of ['submit', 'accept'] as const) {
    router.post(`/disputes/:id/${action}`, signedIn, async (req, res) => {
      const id = String(req.params.id);
      if (!isUuid(id)) return sendPage(res, 404, 'Not found', messagePage('Not found', 'There is no such dispute.'), { current: 'disputes' });
      let flash: string;
      try {
        // The same call POST /api/disputes/:id/{submit,accept} makes.
        const submission = await requestResponse({ db, submissions: queues.submissions }, { disputeId: id, kind: action, requestedBy: 'staff' });
        flash = `${action === 'submit' ? 'Submission' : 'Acceptance'} ${submission.status}: it is sent to the provider in the background.`;
      } catch (err) {
        if (!(err instanceof ResponseRefused)) throw err;
        flash = `Not sent: ${err.reason}.`;
      }
      res.redirect(303, withFlash(`/disputes/${id}`, flash));
    });
  }

  router.post('/disputes/:id/shipments', signedIn, form, async (req, res) => {
    const id = String(req.params.id);
    const back = (flash: string) => res.redirect(303, withFlash(`/disputes/${encodeURIComponent(id)}`, flash));
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

  router.get('/sources', signedIn, async (req, res) => {
    sendPage(res, 200, 'Sources', sourcesPage(await sourceStatuses(db, runtime.config.sources)), { current: 'sources', flash: flashOf(req) });
  });

  router.post('/sources/:name/sync', signedIn, async (req, res) => {
    const request = await requestSync({ db, sources: queues.sources, config: runtime.config.sources }, String(req.params.name));
    const flash = {
      queued: 'Sync queued: every dispute that still takes a response is pulled again.',
      unknown_source: 'No such source.',
      not_enabled: 'That source is not configured.',
      queue_unavailable: 'Not queued: Redis is unavailable.',
    }[request.outcome];
    res.redirect(303, withFlash('/sources', flash));
  });

  router.get('/events', signedIn, async (req, res) => {
    const filter = EventFilterQuery.parse(req.query);
    const events = await listEvents(db, { ...filter, limit: 200 });
    sendPage(res, 200, 'Events', eventsPage(events, filter), { current: 'events', flash: flashOf(req) });
  });

  router.post('/events/:id/redrive', signedIn, async (req, res) => {
    const id = String(req.params.id);
    const event = await findEvent(db, id);
    if (event) await redriveEvent(db, queues.events, event.id);
    res.redirect(303, withFlash('/events', event ? `Event ${event.providerEventId} queued again.` : 'No such event.'));
  });

  return router;
}
