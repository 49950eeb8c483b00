import type { Queue } from 'bullmq';
import express from 'express';
import type { Db } from '../../db/pool';
import type { Dispute } from '../../disputes/model';
import { findDispute } from '../../disputes/repository';
import { isTerminal } from '../../disputes/model';
import { NotFound, ProviderRejected, Refused } from '../../errors';
import { portsOf, type ProviderPortMap } from '../../ports';
import type { ProviderAction } from '../../submission/actions';
import { messageRequest, offerRequest, refundAmount } from '../../resolution/requests';
import { findWarning, listWarnings, requestWarningRefund } from '../../resolution/warnings';
import { findSameAsk, requestResponse } from '../../submission/request';
import { HttpError } from '../errors';

/** 409 `action_not_allowed`: the provider, or the dispute's current state there, does not take this action. */
export class ActionNotAllowed extends Refused {
  constructor(reason: string) {
    super('action_not_allowed', reason);
    this.name = 'ActionNotAllowed';
  }
}

export interface ResolutionApiDeps {
  db: Db;
  submissions: Queue;
  providers: ProviderPortMap;
}

/**
 * The dispute's allowed actions read back from its provider now (PayPal's links[]); refused
 * without a call to the action itself when they do not include this one.
 */
async function checkAllowed(deps: ResolutionApiDeps, dispute: Dispute, action: ProviderAction): Promise<void> {
  if (isTerminal(dispute.status)) throw new ActionNotAllowed(`the dispute is ${dispute.status}`);
  const responder = portsOf(deps.providers, dispute.provider).responder;
  const has = action === 'offer' ? responder?.offer : responder?.message;
  if (!responder?.allowedActions || !has) {
    throw new ActionNotAllowed(responder ? `${dispute.provider} has no ${action}s to the buyer` : `${dispute.provider} API credentials are not set`);
  }
  let allowed: Set<ProviderAction>;
  try {
    allowed = await responder.allowedActions(dispute);
  } catch (err) {
    if (err instanceof ProviderRejected) throw new ActionNotAllowed(err.message);
    throw new HttpError(503, 'provider_unavailable', [{ message: err instanceof Error ? err.message : String(err) }]);
  }
  if (!allowed.has(action)) throw new ActionNotAllowed(`${dispute.provider} does not allow a${action === 'offer' ? 'n' : ''} ${action} on this dispute now (allowed: ${[...allowed].join(', ') || 'nothing'})`);
}

/**
 * The same offer or message asked before is answered with its submission; otherwise the provider
 * must allow it. Checked again after a refusal: a twin request may have landed in between
 * (PayPal drops make_offer from the links once an offer is made).
 */
async function sameAskOr(deps: ResolutionApiDeps, dispute: Dispute, kind: 'offer' | 'message', request: Record<string, unknown>, check: () => Promise<void>) {
  const again = await findSameAsk(deps.db, dispute.id, kind, request);
  if (again) return again;
  try {
    await check();
  } catch (err) {
    const landed = err instanceof ActionNotAllowed ? await findSameAsk(deps.db, dispute.id, kind, request) : undefined;
    if (landed) return landed;
    throw err;
  }
  return undefined;
}

/** An offer or message asked by staff (API or dashboard): the same ask answered again, else the links checked, then queued. */
export async function requestOfferOrMessage(
  deps: ResolutionApiDeps,
  dispute: Dispute,
  kind: 'offer' | 'message',
  request: Record<string, unknown>,
) {
  const again = await sameAskOr(deps, dispute, kind, request, () => checkAllowed(deps, dispute, kind));
  if (again) return again;
  return requestResponse(deps, { disputeId: dispute.id, kind, requestedBy: 'staff', request, refuse: (reason) => new ActionNotAllowed(reason) });
}

/** Offers and messages to the buyer (as submissions), early fraud warnings and their refunds. */
export function resolutionApi(deps: ResolutionApiDeps): express.Router {
  const router = express.Router();
  const disputeOf = async (id: string) => {
    const dispute = await findDispute(deps.db, id);
    if (!dispute) throw new NotFound('dispute_not_found');
    return dispute;
  };
  const accepted = (res: express.Response, s: { id: string; kind: string; status: string }) =>
    res.status(202).json({ submission: { id: s.id, kind: s.kind, status: s.status } });

  router.post('/disputes/:id/offer', async (req, res) => {
    const dispute = await disputeOf(req.params.id);
    accepted(res, await requestOfferOrMessage(deps, dispute, 'offer', { ...offerRequest(req.body, dispute.amount) }));
  });

  router.post('/disputes/:id/message', async (req, res) => {
    const dispute = await disputeOf(req.params.id);
    accepted(res, await requestOfferOrMessage(deps, dispute, 'message', { ...messageRequest(req.body) }));
  });

  router.get('/warnings', async (_req, res) => {
    const warnings = await listWarnings(deps.db);
    res.json({ warnings: warnings.map(({ refund: _refund, ...shown }) => shown) });
  });

  router.post('/warnings/:id/refund', async (req, res) => {
    const warning = await findWarning(deps.db, req.params.id);
    if (!warning) throw new NotFound('warning_not_found');
    const amount = refundAmount(req.body, warning.amount);
    accepted(res, await requestWarningRefund(deps, { warningId: warning.id, amount, requestedBy: 'staff' }));
  });

  return router;
}
