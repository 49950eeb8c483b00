import { ProviderRejected } from '../../src/errors';
import { PaypalApi } from '../../src/providers/paypal/client';
import { paypalModule } from '../../src/providers/paypal/module';
import { squareModule } from '../../src/providers/square/module';
import { stripeModule } from '../../src/providers/stripe/module';
import { createSquareClient } from '../../src/providers/square/client';
import { createStripeClient } from '../../src/providers/stripe/client';
import { FakePaypal, PAYPAL_ERROR } from '../fakes/paypal';
import { FakeSquare } from '../fakes/square';
import { FakeStripe } from '../fakes/stripe';
import { factsOf } from '../support/normalize';

/** What a fetched dispute and its webhook agree on: everything but when it was observed. */
const sameDispute = ({ occurredAt: _o, order: _r, ...facts }: Record<string, unknown>) => facts;

describe('reading a dispute from its provider API to complete a webhook (through each official SDK, fake APIs)', () => {
  const stripeApi = new FakeStripe();
  const squareApi = new FakeSquare();
  const paypalApi = new FakePaypal();

  beforeAll(async () => {
    await Promise.all([stripeApi.start(), squareApi.start(), paypalApi.start()]);
  });
  afterAll(async () => {
    await Promise.all([stripeApi.close(), squareApi.close(), paypalApi.close()]);
  });

  describe('Stripe disputes.retrieve at STRIPE_API_BASE', () => {
    const fetchDispute = () => stripeModule.fetcher(createStripeClient({ secretKey: 'sk_test_fetch', apiBase: stripeApi.url, maxNetworkRetries: 0 }));

    it('answers the facts the webhook would have carried, with the secret key as bearer', async () => {
      const webhook = factsOf('stripe', 'stripe/charge.dispute.created.json');
      const fetched = await fetchDispute()(webhook.providerDisputeId);
      expect(sameDispute({ ...fetched })).toEqual(sameDispute({ ...webhook }));
      const [request] = stripeApi.calls('GET', `/v1/disputes/${webhook.providerDisputeId}`);
      expect(request!.headers.authorization).toBe('Bearer sk_test_fetch');
    });

    it("turns Stripe's 404 into a refusal (the event fails for good) and a 429 or 5xx into an error worth retrying", async () => {
      await expect(fetchDispute()('du_missing')).rejects.toThrow(ProviderRejected);
      for (const status of [429, 500]) {
        stripeApi.script('GET', '/v1/disputes/:id', { status, json: { error: { type: 'api_error', message: 'try later' } } });
        const failure = await fetchDispute()('du_1QkZr9LzW8xYp1Aa5bHc2mPq').catch((err: unknown) => err);
        expect(failure).toBeInstanceOf(Error);
        expect(failure).not.toBeInstanceOf(ProviderRejected);
      }
    });
  });

  describe('Square disputes.get at SQUARE_API_BASE', () => {
    const fetchDispute = () => squareModule.fetcher(createSquareClient({ accessToken: 'sq-token', apiBase: squareApi.url }));

    it('answers the facts the webhook would have carried: amount, state, due date, version', async () => {
      const webhook = factsOf('square', 'square/dispute.created.json');
      const fetched = await fetchDispute()(webhook.providerDisputeId);
      expect(sameDispute({ ...fetched })).toEqual(sameDispute({ ...webhook }));
      expect(fetched.order).toBe(1);
      const [request] = squareApi.calls('GET', `/v2/disputes/${webhook.providerDisputeId}`);
      expect(request!.headers).toMatchObject({ authorization: 'Bearer sq-token', 'square-version': expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    });

    it("turns Square's NOT_FOUND into a refusal and a 503 into an error worth retrying", async () => {
      await expect(fetchDispute()('missing')).rejects.toThrow(ProviderRejected);
      squareApi.script('GET', '/v2/disputes/:id', ...Array(3).fill({ status: 503, json: { errors: [{ category: 'API_ERROR', code: 'SERVICE_UNAVAILABLE', detail: 'down' }] } }));
      const failure = await fetchDispute()('XDgyFu7yo1E2S5lQGGpYn').catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(Error);
      expect(failure).not.toBeInstanceOf(ProviderRejected);
    }, 20_000);
  });

  describe('PayPal GET /v1/customer/disputes/{id} with a bearer from the SDK OAuth', () => {
    const api = (timeoutMs?: number) => new PaypalApi(paypalApi.url, { clientId: 'fetch-id', clientSecret: 'fetch-secret' }, timeoutMs);

    it('answers the complete dispute: amount and due date a partial webhook lacks', async () => {
      const fetched = await paypalModule.fetcher(api())('PP-D-21903');
      expect(fetched).toMatchObject({ amount: { value: 8950, currency: 'USD' }, dueBy: '2026-12-02T14:05:11.000Z', providerPaymentId: '9XG48116JM6629204' });
      expect(paypalApi.calls('POST', '/v1/oauth2/token')[0]!.form?.get('grant_type')).toBe('client_credentials');
    });

    it("turns PayPal's 422 error shape into a readable refusal, and a 429 or a timeout into errors worth retrying", async () => {
      paypalApi.script('GET', '/v1/customer/disputes/:id', PAYPAL_ERROR('INVALID_RESOURCE_ID'));
      await expect(paypalModule.fetcher(api())('PP-D-21903')).rejects.toThrow(/paypal refused the request \(422\): UNPROCESSABLE_ENTITY: .*INVALID_RESOURCE_ID/);

      paypalApi.script('GET', '/v1/customer/disputes/:id', { status: 429, json: { name: 'RATE_LIMIT_REACHED' } });
      const limited = await paypalModule.fetcher(api())('PP-D-21903').catch((err: unknown) => err);
      expect(limited).not.toBeInstanceOf(ProviderRejected);

      const slow = api(300);
      await slow.getDispute('PP-D-21903'); // the token first, so only the dispute read is slow
      paypalApi.script('GET', '/v1/customer/disputes/:id', { status: 200, json: {}, delayMs: 1_000 });
      const timedOut = await paypalModule.fetcher(slow)('PP-D-21903').catch((err: unknown) => err);
      expect(timedOut).toEqual(new Error('PayPal did not answer GET /v1/customer/disputes/PP-D-21903 within 300 ms'));
    });
  });
});
