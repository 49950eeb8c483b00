import { randomBytes } from 'node:crypto';
import { fixtureJson } from '../support/fixtures';
import { RecordingServer, type FakeAnswer, type RecordedRequest } from './recording-server';

export const STRIPE_ERROR = (message: string, code = 'invalid_request'): FakeAnswer => ({
  status: 400,
  json: { error: { type: 'invalid_request_error', code, message } },
});

/** Stripe's disputes and files API, with dispute state and Idempotency-Key replay as Stripe does it. */
export class FakeStripe extends RecordingServer {
  readonly disputes = new Map<string, any>();
  /** How many times a dispute's evidence was actually submitted. */
  submissions = 0;
  private readonly replays = new Map<string, FakeAnswer>();
  /** Charges by id (GET /v1/charges/:id), for reading who paid and when. */
  readonly charges = new Map<string, any>();

  constructor() {
    super([
      ['GET', '/v1/disputes/:id', (_r, { id }) => this.found(id!, (d) => ({ status: 200, json: d }))],
      ['GET', '/v1/charges/:id', (_r, { id }) => {
        const charge = this.charges.get(id!);
        return charge ? { status: 200, json: charge } : { status: 404, json: { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such charge: '${id}'`, param: 'id' } } };
      }],
      ['POST', '/v1/files', (r) => this.once(r, () => ({ status: 200, json: { id: `file_${randomBytes(8).toString('hex')}`, object: 'file', purpose: r.parts?.find((p) => p.name === 'purpose')?.value, size: r.parts?.find((p) => p.name === 'file')?.data?.length, type: 'pdf' } }))],
      ['POST', '/v1/disputes/:id/close', (r, { id }) => this.once(r, () => this.found(id!, (d) => {
        d.status = 'lost';
        return { status: 200, json: d };
      }))],
      ['POST', '/v1/disputes/:id', (r, { id }) => this.once(r, () => this.found(id!, (d) => {
        if (d.status !== 'needs_response' && d.status !== 'warning_needs_response') return STRIPE_ERROR('This dispute is already closed or under review.', 'dispute_already_submitted');
        for (const [key, value] of r.form ?? []) {
          const field = /^evidence\[(\w+)\]$/.exec(key)?.[1];
          if (field) d.evidence[field] = value;
        }
        if (r.form?.get('submit') === 'true') {
          d.status = d.status === 'warning_needs_response' ? 'warning_under_review' : 'under_review';
          d.evidence_details.submission_count += 1;
          d.evidence_details.has_evidence = true;
          this.submissions += 1;
        }
        return { status: 200, json: d };
      }))],
    ]);
    const dispute = fixtureJson<any>('stripe/charge.dispute.created.json').data.object;
    this.disputes.set(dispute.id, dispute);
  }

  private found(id: string, then: (dispute: any) => FakeAnswer): FakeAnswer {
    const dispute = this.disputes.get(id);
    return dispute ? then(dispute) : { status: 404, json: { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such dispute: '${id}'` } } };
  }

  /** Stripe answers a repeated Idempotency-Key with the first answer, doing nothing again. */
  private once(request: RecordedRequest, work: () => FakeAnswer): FakeAnswer {
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string') return work();
    const seen = this.replays.get(key);
    if (seen) return seen;
    const answer = work();
    if (answer.status < 500) this.replays.set(key, answer);
    return answer;
  }
}
