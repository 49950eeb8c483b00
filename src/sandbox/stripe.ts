import { randomBytes } from 'node:crypto';
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
  /** Charges by id (warned, disputed or refunded); refunds as Stripe keeps them. */
  readonly charges = new Map<string, any>();
  readonly refunds: any[] = [];
  /** Called once a submission has moved the dispute (the sandbox sends the provider's follow-up webhook). */
  onSubmitted: ((dispute: any) => void) | undefined;
  private readonly replays = new Map<string, FakeAnswer>();

  constructor() {
    super([
      ['GET', '/v1/disputes', (r) => this.list(r)],
      ['GET', '/v1/disputes/:id', (_r, { id }) => this.found(id!, (d) => ({ status: 200, json: d }))],
      ['POST', '/v1/files', (r) => this.once(r, () => ({ status: 200, json: { id: `file_${randomBytes(8).toString('hex')}`, object: 'file', purpose: r.parts?.find((p) => p.name === 'purpose')?.value, size: r.parts?.find((p) => p.name === 'file')?.data?.length, type: 'pdf' } }))],
      ['POST', '/v1/disputes/:id/close', (r, { id }) => this.once(r, () => this.found(id!, (d) => {
        if (!['needs_response', 'warning_needs_response'].includes(d.status)) return STRIPE_ERROR('This dispute is already closed.', 'dispute_already_closed');
        d.status = 'lost';
        return { status: 200, json: d };
      }))],
      ['GET', '/v1/charges/:id', (_r, { id }) => this.charge(id!, (c) => ({ status: 200, json: c }))],
      ['GET', '/v1/refunds', (r) => {
        const data = this.refunds.filter((f) => !r.query.get('charge') || f.charge === r.query.get('charge'));
        return { status: 200, json: { object: 'list', data, has_more: false, url: '/v1/refunds' } };
      }],
      ['POST', '/v1/refunds', (r) => this.once(r, () => this.refund(r.form ?? new URLSearchParams()))],
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
          this.onSubmitted?.(d);
        }
        return { status: 200, json: d };
      }))],
    ]);
  }

  /**
   * GET /v1/disputes as Stripe documents it: newest first, `limit` (1–100, default 10), cursor
   * `starting_after` (an object id), `created[gte|gt|lte|lt]` filters, `has_more`.
   */
  private list(r: RecordedRequest): FakeAnswer {
    const limit = Math.min(100, Math.max(1, Number(r.query.get('limit') ?? 10)));
    const bounds = { gte: r.query.get('created[gte]'), gt: r.query.get('created[gt]'), lte: r.query.get('created[lte]'), lt: r.query.get('created[lt]') };
    let all = [...this.disputes.values()]
      .filter((d) => (bounds.gte === null || d.created >= Number(bounds.gte)) && (bounds.gt === null || d.created > Number(bounds.gt)))
      .filter((d) => (bounds.lte === null || d.created <= Number(bounds.lte)) && (bounds.lt === null || d.created < Number(bounds.lt)))
      .sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : -1));
    const after = r.query.get('starting_after');
    if (after) {
      const at = all.findIndex((d) => d.id === after);
      if (at < 0) return STRIPE_ERROR(`No such dispute: '${after}'`, 'resource_missing');
      all = all.slice(at + 1);
    }
    return { status: 200, json: { object: 'list', url: '/v1/disputes', has_more: all.length > limit, data: all.slice(0, limit) } };
  }


  /** A charge as Stripe returns it; `disputed` once a chargeback was opened on it. */
  addCharge(id: string, amount: number, currency = 'usd', disputed = false): any {
    const charge = { id, object: 'charge', amount, amount_refunded: 0, currency, disputed, refunded: false, paid: true, status: 'succeeded', created: 1793541000, livemode: false };
    this.charges.set(id, charge);
    return charge;
  }

  private charge(id: string, then: (charge: any) => FakeAnswer): FakeAnswer {
    const charge = this.charges.get(id);
    return charge ? then(charge) : { status: 404, json: { error: { type: 'invalid_request_error', code: 'resource_missing', param: 'id', message: `No such charge: '${id}'` } } };
  }

  /** POST /v1/refunds as Stripe checks it: a known charge, not charged back, an amount within what is left. */
  private refund(form: URLSearchParams): FakeAnswer {
    const chargeId = form.get('charge');
    if (!chargeId) return STRIPE_ERROR('Must provide one of charge or payment_intent.', 'parameter_missing');
    return this.charge(chargeId, (charge) => {
      if (charge.disputed) return STRIPE_ERROR(`Charge ${chargeId} has been charged back; cannot issue a refund.`, 'charge_disputed');
      const left = charge.amount - charge.amount_refunded;
      const amount = form.has('amount') ? Number(form.get('amount')) : left;
      if (!Number.isInteger(amount) || amount <= 0) return STRIPE_ERROR('Invalid positive integer', 'parameter_invalid_integer');
      if (amount > left) return STRIPE_ERROR(`Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`, 'amount_too_large');
      const reason = form.get('reason');
      if (reason && !['duplicate', 'fraudulent', 'requested_by_customer'].includes(reason)) return STRIPE_ERROR('Invalid reason', 'parameter_invalid_empty');
      const metadata: Record<string, string> = {};
      for (const [key, value] of form) {
        const field = /^metadata\[(\w+)\]$/.exec(key)?.[1];
        if (field) metadata[field] = value;
      }
      charge.amount_refunded += amount;
      charge.refunded = charge.amount_refunded === charge.amount;
      const refund = { id: `re_${randomBytes(8).toString('hex')}`, object: 'refund', amount, charge: chargeId, currency: charge.currency, reason, metadata, status: 'succeeded', created: Math.floor(Date.now() / 1000) };
      this.refunds.push(refund);
      return { status: 200, json: refund };
    });
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
