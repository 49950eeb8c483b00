import { RecordingServer, type FakeAnswer, type RecordedRequest } from './recording-server';

export const PAYPAL_ERROR = (issue: string, message = 'The requested action could not be performed.'): FakeAnswer => ({
  status: 422,
  json: { name: 'UNPROCESSABLE_ENTITY', message, debug_id: 'f1e2d3c4b5a69', details: [{ issue, description: message }] },
});

const INVALID_REQUEST = (field: string, issue: string): FakeAnswer => ({
  status: 400,
  json: { name: 'INVALID_REQUEST', message: 'Request is not well-formed, syntactically incorrect, or violates schema.', debug_id: 'b2c3d4e5f6a7', details: [{ field, location: 'body', issue }] },
});

/**
 * The body checks PayPal documents for make-offer and accept-claim: note 1–2000 characters, a
 * known type, and an amount (`{currency_code, value}` decimal string) in the dispute's currency
 * and no more than it.
 */
function validate(
  dispute: any,
  body: any,
  rules: { note: boolean; types: string[]; typeField: string; typeRequired?: boolean; amountField: string; amountRequired: boolean },
): FakeAnswer | undefined {
  if (rules.note && (typeof body.note !== 'string' || body.note.length < 1 || body.note.length > 2000)) return INVALID_REQUEST('/note', body.note === undefined ? 'MISSING_REQUIRED_PARAMETER' : 'INVALID_STRING_LENGTH');
  const type = body[rules.typeField];
  if (type === undefined ? rules.typeRequired : !rules.types.includes(type)) return INVALID_REQUEST(`/${rules.typeField}`, type === undefined ? 'MISSING_REQUIRED_PARAMETER' : 'INVALID_PARAMETER_VALUE');
  const amount = body[rules.amountField];
  if (amount === undefined) return rules.amountRequired ? INVALID_REQUEST(`/${rules.amountField}`, 'MISSING_REQUIRED_PARAMETER') : undefined;
  if (!rules.amountRequired && rules.typeField === 'offer_type') return INVALID_REQUEST(`/${rules.amountField}`, 'AMOUNT_SHOULD_NOT_BE_PASSED');
  if (typeof amount.value !== 'string' || !/^((-?[0-9]+)|(-?([0-9]+)?[.][0-9]+))$/.test(amount.value)) return INVALID_REQUEST(`/${rules.amountField}/value`, 'INVALID_PARAMETER_SYNTAX');
  if (amount.currency_code !== dispute.dispute_amount.currency_code) return PAYPAL_ERROR('INVALID_CURRENCY_CODE', 'The currency code must match the disputed amount.');
  if (Number(amount.value) <= 0 || Number(amount.value) > Number(dispute.dispute_amount.value)) return PAYPAL_ERROR('INVALID_OFFER_AMOUNT', 'The offer amount must be more than zero and no more than the disputed amount.');
  return undefined;
}

/**
 * PayPal's REST API as Rebuttal uses it: OAuth, disputes (read, provide evidence, accept claim,
 * make offer, send message),
 * with dispute state kept so a read after a submission shows it.
 */
export class FakePaypal extends RecordingServer {
  readonly disputes = new Map<string, any>();
  submissions = 0;
  /** make-offer and send-message calls that PayPal took (did the work for). */
  offers = 0;
  messages = 0;
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
      ['POST', '/v1/customer/disputes/:id/accept-claim', (r, { id }) => {
        const dispute = this.disputes.get(id!);
        if (!dispute?.links.some((l: any) => l.rel === 'accept_claim')) return PAYPAL_ERROR('NOT_ALLOWED', 'The claim cannot be accepted now.');
        const body = r.json ?? {};
        const invalid = validate(dispute, body, { note: false, types: ['REFUND', 'REFUND_WITH_RETURN', 'PARTIAL_REFUND', 'REFUND_WITH_RETURN_SHIPMENT_LABEL'], typeField: 'accept_claim_type', amountField: 'refund_amount', amountRequired: body.accept_claim_type === 'PARTIAL_REFUND' });
        if (invalid) return invalid;
        Object.assign(dispute, { status: 'RESOLVED', dispute_outcome: { outcome_code: 'ACCEPTED' }, links: [] });
        return { status: 200, json: { links: [{ href: `/v1/customer/disputes/${id}`, rel: 'self', method: 'GET' }] } };
      }],
      ['POST', '/v1/customer/disputes/:id/make-offer', (r, { id }) => {
        const dispute = this.disputes.get(id!);
        if (!dispute) return PAYPAL_ERROR('INVALID_RESOURCE_ID', 'The requested resource ID was not found');
        if (!dispute.links.some((l: any) => l.rel === 'make_offer')) return PAYPAL_ERROR('NOT_ALLOWED', 'An offer cannot be made on this dispute now.');
        const body = r.json ?? {};
        const invalid = validate(dispute, body, {
          note: true,
          types: ['REFUND', 'REFUND_WITH_RETURN', 'REFUND_WITH_REPLACEMENT', 'REPLACEMENT_WITHOUT_REFUND'],
          typeField: 'offer_type',
          typeRequired: true,
          amountField: 'offer_amount',
          amountRequired: body.offer_type !== 'REPLACEMENT_WITHOUT_REFUND',
        });
        if (invalid) return invalid;
        const time = new Date().toISOString();
        dispute.offer = {
          buyer_requested_amount: dispute.dispute_amount,
          ...(body.offer_amount ? { seller_offered_amount: body.offer_amount } : {}),
          offer_type: body.offer_type,
          history: [...(dispute.offer?.history ?? []), { offer_time: time, actor: 'SELLER', event_type: 'PROPOSED', offer_type: body.offer_type, ...(body.offer_amount ? { offer_amount: body.offer_amount } : {}) }],
        };
        dispute.status = 'WAITING_FOR_BUYER_RESPONSE';
        dispute.update_time = time;
        dispute.links = dispute.links.filter((l: any) => l.rel !== 'make_offer');
        this.offers += 1;
        return { status: 200, json: { links: [{ href: `/v1/customer/disputes/${id}`, rel: 'self', method: 'GET' }] } };
      }],
      ['POST', '/v1/customer/disputes/:id/send-message', (r, { id }) => {
        const dispute = this.disputes.get(id!);
        if (!dispute) return PAYPAL_ERROR('INVALID_RESOURCE_ID', 'The requested resource ID was not found');
        if (!dispute.links.some((l: any) => l.rel === 'send_message')) return PAYPAL_ERROR('NOT_ALLOWED', 'A message cannot be sent on this dispute now.');
        const message = r.json?.message;
        if (typeof message !== 'string' || message.length < 1 || message.length > 2000) return INVALID_REQUEST('/message', message === undefined ? 'MISSING_REQUIRED_PARAMETER' : 'INVALID_STRING_LENGTH');
        dispute.messages = [...(dispute.messages ?? []), { posted_by: 'SELLER', time_posted: new Date().toISOString(), content: message }];
        this.messages += 1;
        return { status: 200, json: { links: [{ href: `/v1/customer/disputes/${id}`, rel: 'self', method: 'GET' }] } };
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
