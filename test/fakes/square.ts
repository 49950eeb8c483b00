import { randomBytes } from 'node:crypto';
import { fixtureJson } from '../support/fixtures';
import { RecordingServer, type FakeAnswer } from './recording-server';

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

  constructor() {
    super([
      ['GET', '/v2/payments/:id', (_r, { id }) => {
        const payment = this.payments.get(id!);
        return payment ? { status: 200, json: { payment } } : { status: 404, json: { errors: [{ category: 'INVALID_REQUEST_ERROR', code: 'NOT_FOUND', detail: `Could not find payment with id: ${id}` }] } };
      }],
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
        return { status: 200, json: { dispute: d } };
      })],
      ['POST', '/v2/disputes/:id/accept', (_r, { id }) => this.found(id!, (d) => {
        d.state = 'ACCEPTED';
        d.version += 1;
        return { status: 200, json: { dispute: d } };
      })],
    ]);
    const dispute = fixtureJson<any>('square/dispute.created.json').data.object.object;
    this.disputes.set(dispute.id, dispute);
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
