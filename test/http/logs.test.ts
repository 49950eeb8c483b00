import { maskCardNumbers } from '../../src/log';
import { appLogger } from '../../src/runtime';
import { paypalSignatureHeaders } from '../../src/providers/paypal/sign';
import { squareSignature } from '../../src/providers/square/sign';
import { stripeSignatureHeader } from '../../src/providers/stripe/sign';
import { DEV_KEYS, fixtureText } from '../support/fixtures';
import { get, post } from '../support/http';
import { ADMIN_TOKEN, LogCapture, createTestDatabase, startTestReceiver, testConfig } from '../support/services';

const STRIPE_SECRET = 'whsec_logs_secret_5f1e2d3c4b5a';
const SQUARE_KEY = 'sq-logs-signature-key-9a8b7c';
const CARD = '4242424242424242';

describe('what reaches the logs', () => {
  it('never holds a secret, a signature, the admin token or a card number, whatever the outcome', async () => {
    const database = await createTestDatabase();
    const receiver = await startTestReceiver(
      testConfig(database.url, {
        LOG_LEVEL: 'trace',
        STRIPE_WEBHOOK_SECRETS: STRIPE_SECRET,
        SQUARE_SIGNATURE_KEYS: SQUARE_KEY,
        SQUARE_WEBHOOK_URL: 'https://merchant.example.com/webhooks/square',
        PAYPAL_WEBHOOK_ID: 'WH-ID-LOGS',
        PAYPAL_CERT_FILE: DEV_KEYS.paypalCertFile,
      }),
    );
    const signatures: string[] = [];
    try {
      const stripeEvent = JSON.parse(fixtureText('stripe/charge.dispute.created.json'));
      stripeEvent.data.object.metadata = { note: `customer typed ${CARD} in the chat` };
      const stripeBody = JSON.stringify(stripeEvent);
      const stripeSig = stripeSignatureHeader(stripeBody, STRIPE_SECRET);
      signatures.push(stripeSig.split('v1=')[1]!);
      await post(`${receiver.url}/webhooks/stripe`, stripeBody, { 'stripe-signature': stripeSig });
      await post(`${receiver.url}/webhooks/stripe`, stripeBody, { 'stripe-signature': stripeSignatureHeader(stripeBody, 'whsec_wrong') });
      await post(`${receiver.url}/webhooks/stripe`, `{"card":"${CARD}"`, { 'stripe-signature': stripeSignatureHeader(`{"card":"${CARD}"`, STRIPE_SECRET) });

      const squareBody = fixtureText('square/dispute.created.json');
      const squareSig = squareSignature(squareBody, 'https://merchant.example.com/webhooks/square', SQUARE_KEY);
      signatures.push(squareSig);
      await post(`${receiver.url}/webhooks/square`, squareBody, { 'x-square-hmacsha256-signature': squareSig });

      const paypalBody = fixtureText('paypal/CUSTOMER.DISPUTE.CREATED.json');
      const paypalHeaders = paypalSignatureHeaders(paypalBody, { webhookId: 'WH-ID-LOGS', privateKeyPem: DEV_KEYS.paypalKey });
      signatures.push(paypalHeaders['paypal-transmission-sig']!);
      await post(`${receiver.url}/webhooks/paypal`, paypalBody, paypalHeaders);

      await get(`${receiver.url}/api/events`, { authorization: `Bearer ${ADMIN_TOKEN}` });
      await get(`${receiver.url}/api/events`, { authorization: 'Bearer wrong-token-guess' });
    } finally {
      await receiver.stop();
      await database.drop();
    }
    const logs = receiver.logs.text;
    expect(receiver.logs.lines.length).toBeGreaterThan(3);
    for (const secret of [STRIPE_SECRET, SQUARE_KEY, ADMIN_TOKEN, CARD, '4242 4242 4242 4242', DEV_KEYS.paypalKey.slice(40, 80), ...signatures]) {
      expect(logs).not.toContain(secret);
    }
  });

  it('masks card numbers and redacts secret-named fields even when code logs them by mistake', () => {
    const capture = new LogCapture();
    const log = appLogger('info', capture);
    log.info({ config: { webhookSecrets: ['whsec_x'], adminToken: 'tok' }, headers: { 'stripe-signature': 't=1,v1=ab' } }, `paid with 4242 4242 4242 4242`);
    log.error({ err: new Error(`charge failed for card 5555555555554444`) }, 'oops');
    log.child({ settings: { apiToken: 'zd_tok' } }).info({ source: { consumerSecret: 'cs_x', name: 'woo' } }, 'connected');
    expect(capture.text).not.toMatch(/whsec_x|"tok"|v1=ab|4242 4242 4242 4242|5555555555554444|zd_tok|cs_x/);
    expect(capture.text).toContain('"name":"woo"');
    expect(capture.text).toContain('•••• 4242');
  });

  it('leaves numbers that are not card numbers alone', () => {
    expect(maskCardNumbers('order 1234567890123 and tracking 1Z999AA10123456784')).toBe('order 1234567890123 and tracking 1Z999AA10123456784');
  });
});
