import express, { type NextFunction, type Request, type Response } from 'express';
import { ZodError } from 'zod';
import { isUuid } from '../../db/ids';
import { findDispute } from '../../disputes/repository';
import { messageRequest, offerRequest, refundAmount } from '../../resolution/requests';
import { findWarning, listWarnings, requestWarningRefund } from '../../resolution/warnings';
import { requestOfferOrMessage, type ResolutionApiDeps } from '../api/resolution';
import { InvalidRequest, NotFound, Refused } from '../../errors';
import { HttpError } from '../errors';
import type { page, PageOptions } from './layout';
import { messagePage } from './pages';
import { confirmResolutionPage, confirmRefundPage, warningsPage } from './resolution-pages';

type Middleware = (req: Request, res: Response, next: NextFunction) => void;

interface Helpers {
  signedIn: Middleware;
  form: express.RequestHandler;
  sendPage: (res: Response, status: number, title: string, body: Parameters<typeof page>[1], options?: PageOptions) => void;
  withFlash: (path: string, flash: string) => string;
}

/** What a refusal says to staff: the 400's field and message, or the 409's reason. */
function refusal(err: unknown): string | undefined {
  if (err instanceof ZodError) return err.issues.map((i) => `${i.path.join('.') || 'form'}: ${i.message}`).join('; ');
  if (err instanceof InvalidRequest) return err.message;
  if (err instanceof Refused) return err.reason;
  if (err instanceof NotFound) return err.code;
  if (err instanceof HttpError && err.status < 500) {
    const details = (err.details ?? []) as Array<{ path?: string; message?: string }>;
    return details.map((d) => [d.path, d.message].filter(Boolean).join(': ')).join('; ') || err.code;
  }
  return undefined;
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/**
 * Offer, message and refund from the dashboard, behind the same confirmation step as Submit:
 * a form (GET) shows what will be sent, its one button (POST) does it, through the same
 * functions as the admin API.
 */
export function resolutionRoutes(deps: ResolutionApiDeps, h: Helpers): express.Router {
  const router = express.Router();
  const notFound = (res: Response) => h.sendPage(res, 404, 'Not found', messagePage('Not found', 'There is no such dispute.'), { current: 'disputes' });
  const offerOf = (query: Record<string, unknown>, currency: string | undefined, limit: Parameters<typeof offerRequest>[1]) => {
    const amountText = text(query.amount);
    return {
      amountText,
      offer: offerRequest({ type: text(query.type), note: text(query.note), ...(amountText ? { amount: { value: amountText, currency: currency ?? '' } } : {}) }, limit),
    };
  };

  router.get('/disputes/:id/confirm', h.signedIn, async (req, res, next) => {
    const action = req.query.action;
    if (action !== 'offer' && action !== 'message') return next();
    const dispute = await findDispute(deps.db, String(req.params.id));
    if (!dispute) return notFound(res);
    try {
      const fields = action === 'offer' ? offerOf(req.query, dispute.amount?.currency, dispute.amount) : { body: messageRequest({ body: text(req.query.body) }).body };
      h.sendPage(res, 200, 'Confirm', confirmResolutionPage(dispute, action, fields), { current: 'disputes' });
    } catch (err) {
      const why = refusal(err);
      if (!why) throw err;
      res.redirect(303, h.withFlash(`/disputes/${dispute.id}`, `Not sent: ${why}.`));
    }
  });

  for (const action of ['offer', 'message'] as const) {
    router.post(`/disputes/:id/${action}`, h.signedIn, h.form, async (req, res) => {
      const id = String(req.params.id);
      const dispute = isUuid(id) ? await findDispute(deps.db, id) : undefined;
      if (!dispute) return notFound(res);
      let flash: string;
      try {
        const request = action === 'offer' ? { ...offerOf(req.body ?? {}, dispute.amount?.currency, dispute.amount).offer } : { ...messageRequest({ body: text(req.body?.body) }) };
        const submission = await requestOfferOrMessage(deps, dispute, action, request);
        flash = `${action === 'offer' ? 'Offer' : 'Message'} ${submission.status}: it is sent to ${dispute.provider} in the background.`;
      } catch (err) {
        const why = refusal(err);
        if (!why) throw err;
        flash = `Not sent: ${why}.`;
      }
      res.redirect(303, h.withFlash(`/disputes/${id}`, flash));
    });
  }

  router.get('/warnings', h.signedIn, async (req, res) => {
    const flash = typeof req.query.flash === 'string' ? req.query.flash.slice(0, 200) : undefined;
    h.sendPage(res, 200, 'Warnings', warningsPage(await listWarnings(deps.db)), { current: 'warnings', flash });
  });

  router.get('/warnings/:id/confirm', h.signedIn, async (req, res) => {
    const warning = await findWarning(deps.db, String(req.params.id));
    if (!warning) return h.sendPage(res, 404, 'Not found', messagePage('Not found', 'There is no such warning.'), { current: 'warnings' });
    const amountText = text(req.query.amount);
    try {
      refundAmount(amountText ? { amount: { value: amountText, currency: warning.amount?.currency ?? '' } } : {}, warning.amount);
    } catch (err) {
      const why = refusal(err);
      if (!why) throw err;
      return res.redirect(303, h.withFlash('/warnings', `Not refunded: ${why}.`));
    }
    h.sendPage(res, 200, 'Confirm', confirmRefundPage(warning, amountText), { current: 'warnings' });
  });

  router.post('/warnings/:id/refund', h.signedIn, h.form, async (req, res) => {
    const warning = await findWarning(deps.db, String(req.params.id));
    if (!warning) return h.sendPage(res, 404, 'Not found', messagePage('Not found', 'There is no such warning.'), { current: 'warnings' });
    let flash: string;
    try {
      const amountText = text(req.body?.amount);
      const amount = refundAmount(amountText ? { amount: { value: amountText, currency: warning.amount?.currency ?? '' } } : {}, warning.amount);
      const submission = await requestWarningRefund(deps, { warningId: warning.id, amount, requestedBy: 'staff' });
      flash = `Refund ${submission.status}: it is sent to ${warning.provider} in the background.`;
    } catch (err) {
      const why = refusal(err);
      if (!why) throw err;
      flash = `Not refunded: ${why}.`;
    }
    res.redirect(303, h.withFlash('/warnings', flash));
  });

  return router;
}
