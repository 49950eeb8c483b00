import { RecordingServer, type FakeAnswer, type RecordedRequest } from './recording-server';

export const PAYPAL_ERROR = (issue: string, message = 'The requested action could not be performed.'): FakeAnswer => ({
  status: 422,
  json: { name: 'UNPROCESSABLE_ENTITY', message, debug_id: 'f1e2d3c4b5a69', details: [{ issue, description: message }] },
});

/**
 * PayPal's REST API as Rebuttal uses it: OAuth, disputes (read, provide evidence, accept claim),
 * with dispute state kept so a read after a submission shows it.
 */
export class FakePaypal extends RecordingServer {
  readonly disputes = new Map<string, any>();
  submissions = 0;
  /** Called once a submission has moved the dispute (the sandbox sends the provider's follow-up webhook). */
  onSubmitted: ((dispute: any) => void) | undefined;

  constructor() {
    super([
      ['POST', '/v1/oauth2/token', () => ({ status: 200, json: { access_token: 'A21AAFakeAccessToken', token_type: 'Bearer', expires_in: 32400, app_id: 'APP-FAKE', scope: 'https://uri.paypal.com/services/disputes/read-seller' } })],
      ['GET', '/v1/customer/disputes', (r) => this.list(r)],
      ['GET', '/v1/customer/disputes/:id', (_r, { id }) => {
        const dispute = this.disputes.get(id!);
        return dispute ? { status: 200, json: dispute } : { status: 404, json: { name: 'RESOURCE_NOT_FOUND', message: 'The specified resource does not exist.', debug_id: 'a1b2c3', details: [{ issue: 'INVALID_RESOURCE_ID' }] } };
      }],
      ['POST', '/v1/customer/disputes/:id/provide-evidence', (r, { id }) => {
        const dispute = this.disputes.get(id!);
        if (!dispute) return PAYPAL_ERROR('INVALID_RESOURCE_ID', 'The requested resource ID was not found');
        if (!dispute.links.some((l: any) => l.rel === 'provide_evidence')) return PAYPAL_ERROR('NOT_ALLOWED', 'Evidence cannot be provided for this dispute now.');
        const input = JSON.parse(r.parts?.find((p) => p.name === 'input')?.value ?? r.parts?.find((p) => p.name === 'input' && p.data)?.data?.toString() ?? '{}');
        dispute.evidences = [...(dispute.evidences ?? []), ...(input.evidences ?? [])];
        dispute.status = 'UNDER_REVIEW';
        dispute.links = dispute.links.filter((l: any) => l.rel !== 'provide_evidence' && l.rel !== 'accept_claim');
        this.submissions += 1;
        this.onSubmitted?.(dispute);
        return { status: 200, json: { links: [{ href: `/v1/customer/disputes/${id}`, rel: 'self', method: 'GET' }] } };
      }],
      ['POST', '/v1/customer/disputes/:id/accept-claim', (_r, { id }) => {
        const dispute = this.disputes.get(id!);
        if (!dispute?.links.some((l: any) => l.rel === 'accept_claim')) return PAYPAL_ERROR('NOT_ALLOWED', 'The claim cannot be accepted now.');
        Object.assign(dispute, { status: 'RESOLVED', dispute_outcome: { outcome_code: 'ACCEPTED' }, links: [] });
        return { status: 200, json: { links: [] } };
      }],
    ]);
  }

  /**
   * GET /v1/customer/disputes: summaries (no transactions, no outcome), filtered by
   * `update_time_after`, `page_size` (1–50, default 10), and a HATEOAS `next` link carrying
   * `next_page_token` while more remain.
   */
  private list(r: RecordedRequest): FakeAnswer {
    if (!r.headers.authorization?.startsWith('Bearer ')) return { status: 401, json: { error: 'invalid_token', error_description: 'No permission for the requested operation' } };
    const after = r.query.get('update_time_after');
    const pageSize = Math.min(50, Math.max(1, Number(r.query.get('page_size') ?? 10)));
    const all = [...this.disputes.values()]
      .filter((d) => !after || Date.parse(d.update_time ?? d.create_time) > Date.parse(after))
      .sort((a, b) => (a.update_time < b.update_time ? 1 : -1));
    const start = Number(r.query.get('next_page_token') ?? 0);
    const items = all.slice(start, start + pageSize).map((d) => ({
      dispute_id: d.dispute_id,
      create_time: d.create_time,
      update_time: d.update_time,
      reason: d.reason,
      status: d.status,
      dispute_state: d.dispute_state,
      dispute_amount: d.dispute_amount,
      dispute_life_cycle_stage: d.dispute_life_cycle_stage,
      dispute_channel: d.dispute_channel,
      seller_response_due_date: d.seller_response_due_date,
      links: [{ href: `https://api-m.sandbox.paypal.com/v1/customer/disputes/${d.dispute_id}`, rel: 'self', method: 'GET' }],
    }));
    const query = new URLSearchParams(r.query);
    const links = [{ href: `https://api-m.sandbox.paypal.com/v1/customer/disputes?${r.query}`, rel: 'self', method: 'GET' }];
    if (start + pageSize < all.length) {
      query.set('next_page_token', String(start + pageSize));
      links.push({ href: `https://api-m.sandbox.paypal.com/v1/customer/disputes?${query}`, rel: 'next', method: 'GET' });
    }
    return { status: 200, json: { items, links } };
  }
}
