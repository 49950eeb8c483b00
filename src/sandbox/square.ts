import { randomBytes } from 'node:crypto';
import { RecordingServer, type FakeAnswer, type RecordedRequest } from './recording-server';

export const SQUARE_ERROR = (code: string, detail: string): FakeAnswer => ({
  status: 400,
  json: { errors: [{ category: 'INVALID_REQUEST_ERROR', code, detail }] },
});

/** Square's disputes API: evidence (idempotent by idempotency_key), submit-evidence and accept move the state. */
export class FakeSquare extends RecordingServer {
  readonly disputes = new Map<string, any>();
  readonly evidence = new Map<string, any>();
  submissions = 0;
  /** Payments by id (GET /v2/payments/:id), for reading who paid and when. */
  readonly payments = new Map<string, any>();
  /** Disputes per page of ListDisputes (Square decides the page size; the cursor carries on). */
  pageSize = 100;
  /** Called once a submission has moved the dispute (the sandbox sends the provider's follow-up webhook). */
  onSubmitted: ((dispute: any) => void) | undefined;

  constructor() {
    super([
      ['GET', '/v2/payments/:id', (_r, { id }) => {
        const payment = this.payments.get(id!);
        return payment ? { status: 200, json: { payment } } : { status: 404, json: { errors: [{ category: 'INVALID_REQUEST_ERROR', code: 'NOT_FOUND', detail: `Could not find payment with id: ${id}` }] } };
      }],
      ['GET', '/v2/disputes', (r) => this.list(r)],
      ['GET', '/v2/disputes/:id', (_r, { id }) => this.found(id!, (d) => ({ status: 200, json: { dispute: d } }))],
      ['POST', '/v2/disputes/:id/evidence-text', (r, { id }) => this.found(id!, (d) => this.addEvidence(d, r.json.idempotency_key, { evidence_type: r.json.evidence_type, evidence_text: r.json.evidence_text }))],
      ['POST', '/v2/disputes/:id/evidence-files', (r, { id }) => this.found(id!, (d) => {
        const request = JSON.parse(r.parts?.find((p) => p.name === 'request')?.value ?? '{}');
        const file = r.parts?.find((p) => p.name === 'image_file');
        return this.addEvidence(d, request.idempotency_key, { evidence_type: request.evidence_type, evidence_file: { filename: file?.filename, filetype: request.content_type } });
      })],
      ['POST', '/v2/disputes/:id/submit-evidence', (_r, { id }) => this.found(id!, (d) => {
        if (d.state !== 'EVIDENCE_REQUIRED' && d.state !== 'INQUIRY_EVIDENCE_REQUIRED') return SQUARE_ERROR('BAD_REQUEST', `Dispute is in state ${d.state}.`);
        d.state = d.state === 'EVIDENCE_REQUIRED' ? 'PROCESSING' : 'INQUIRY_PROCESSING';
        d.version += 1;
        this.submissions += 1;
        this.onSubmitted?.(d);
        return { status: 200, json: { dispute: d } };
      })],
      ['POST', '/v2/disputes/:id/accept', (_r, { id }) => this.found(id!, (d) => {
        d.state = 'ACCEPTED';
        d.version += 1;
        return { status: 200, json: { dispute: d } };
      })],
    ]);
  }

  /** GET /v2/disputes: `cursor` to go on, optional `states` filter; `cursor` in the answer while more remain. */
  private list(r: RecordedRequest): FakeAnswer {
    const states = r.query.get('states')?.split(',');
    const all = [...this.disputes.values()].filter((d) => !states || states.includes(d.state)).sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
    const start = Number(r.query.get('cursor') ?? 0);
    const page = all.slice(start, start + this.pageSize);
    const next = start + this.pageSize < all.length ? String(start + this.pageSize) : undefined;
    return { status: 200, json: page.length ? { disputes: page, ...(next ? { cursor: next } : {}) } : {} };
  }


  private found(id: string, then: (dispute: any) => FakeAnswer): FakeAnswer {
    const dispute = this.disputes.get(id);
    return dispute ? then(dispute) : { status: 404, json: { errors: [{ category: 'INVALID_REQUEST_ERROR', code: 'NOT_FOUND', detail: `Dispute ${id} not found.` }] } };
  }

  private addEvidence(dispute: any, key: string, fields: Record<string, unknown>): FakeAnswer {
    if (!key) return SQUARE_ERROR('MISSING_REQUIRED_PARAMETER', 'idempotency_key is required.');
    const existing = this.evidence.get(key);
    if (existing) return { status: 200, json: { evidence: existing } };
    const evidence = { id: randomBytes(8).toString('hex'), dispute_id: dispute.id, uploaded_at: new Date().toISOString(), ...fields };
    this.evidence.set(key, evidence);
    dispute.evidence_ids.push(evidence.id);
    return { status: 200, json: { evidence } };
  }
}
