import express from 'express';
import type { Queue } from 'bullmq';
import type { Db } from '../../db/pool';
import { requestResponse } from '../../submission/request';
import type { SubmissionKind } from '../../submission/model';
import { findDispute } from '../../disputes/repository';
import { acceptRequest } from '../../resolution/requests';

/** POST /api/disputes/:id/submit and /accept → 202 {submission:{id,status}}; 409 when it no longer takes a response. */
export function submissionsApi(deps: { db: Db; submissions: Queue }): express.Router {
  const router = express.Router();
  const respond = (kind: SubmissionKind): express.RequestHandler => async (req, res) => {
    const disputeId = String(req.params.id);
    // An acceptance may name PayPal's refund type (and amount); an empty body accepts the claim as before.
    const request = kind === 'accept' && req.body && Object.keys(req.body).length ? { ...acceptRequest(req.body, (await findDispute(deps.db, disputeId))?.amount ?? null) } : undefined;
    const submission = await requestResponse(deps, { disputeId, kind, requestedBy: 'staff', request });
    res.status(202).json({ submission: { id: submission.id, kind: submission.kind, status: submission.status } });
  };
  router.post('/disputes/:id/submit', respond('submit'));
  router.post('/disputes/:id/accept', respond('accept'));
  return router;
}
