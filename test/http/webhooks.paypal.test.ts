import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { X509Certificate, verify } from 'node:crypto';
import { paypalSignatureHeaders, paypalSignedString } from '../../src/providers/paypal/sign';
import { countEvents } from '../support/db';
import { DEV_KEYS, fixtureText } from '../support/fixtures';
import { post } from '../support/http';
import { startHttpsHost, type RecordingHttpsHost } from '../support/https-host';
import { createTestDatabase, startTestReceiver, testConfig, type TestReceiver } from '../support/services';

const WEBHOOK_ID = '8PT597110X687430LKGECATA';
const created = fixtureText('paypal/CUSTOMER.DISPUTE.CREATED.json');
const CERT_PATH = '/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77';

const signed = (body: string, certUrl?: string, webhookId = WEBHOOK_ID) =>
  paypalSignatureHeaders(body, { webhookId, privateKeyPem: DEV_KEYS.paypalKey, certUrl });

describe('POST /webhooks/paypal', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  describe('with PAYPAL_CERT_FILE (development)', () => {
    let receiver: TestReceiver;
    beforeAll(async () => {
      receiver = await startTestReceiver(
        testConfig(database.url, { PAYPAL_WEBHOOK_ID: WEBHOOK_ID, PAYPAL_CERT_FILE: DEV_KEYS.paypalCertFile }),
      );
    });
    afterAll(() => receiver.stop());
    beforeEach(() => receiver.runtime.db.deleteFrom('events').execute());
    const send = (body: string, headers: Record<string, string>) => post(`${receiver.url}/webhooks/paypal`, body, headers);

    it('stores an event signed with the development key, its headers kept but the signature', async () => {
      const answer = await send(created, signed(created));
      expect(answer).toMatchObject({ status: 200, json: { received: true, duplicate: false } });
      const row = await receiver.runtime.db.selectFrom('events').selectAll().executeTakeFirstOrThrow();
      expect(row).toMatchObject({ provider: 'paypal', provider_event_id: 'WH-4M0448861G563140B-9EX36365822141321', type: 'CUSTOMER.DISPUTE.CREATED' });
      expect(row.headers).toHaveProperty('paypal-transmission-id');
      expect(row.headers).not.toHaveProperty('paypal-transmission-sig');
    });

    it('signs the CRC32 of the raw bytes as an unsigned decimal', () => {
      const data = paypalSignedString('t-1', '2026-11-03T14:05:11Z', WEBHOOK_ID, Buffer.from('0'));
      expect(data.endsWith('|4108050209')).toBe(true);
    });

    it('refuses a signature made for another webhook id', async () => {
      expect(await send(created, signed(created, undefined, 'OTHER-WEBHOOK'))).toMatchObject({ status: 400, json: { error: 'invalid_signature' } });
      expect(await countEvents(receiver.runtime.db)).toBe(0);
    });

    it('refuses a body changed after signing', async () => {
      const headers = signed(created);
      expect(await send(created.replace('45.99', '4.59'), headers)).toMatchObject({ status: 400, json: { error: 'invalid_signature' } });
    });

    it('refuses a delivery missing a signature header', async () => {
      const { ['paypal-transmission-sig']: _dropped, ...headers } = signed(created);
      expect(await send(created, headers)).toMatchObject({ status: 400, json: { error: 'invalid_signature' } });
    });

    it('still refuses a certificate URL off the allowlist', async () => {
      const answer = await send(created, signed(created, `https://evil.example.com${CERT_PATH}`));
      expect(answer).toMatchObject({ status: 400, json: { error: 'untrusted_cert_url' } });
    });
  });

  describe('cert mode: the certificate is fetched from an allowlisted https host', () => {
    let receiver: TestReceiver;
    let certHost: RecordingHttpsHost;
    let offListHost: RecordingHttpsHost;
    const servePem = (pem: string) => (res: http.ServerResponse) => res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(pem);

    beforeAll(async () => {
      offListHost = await startHttpsHost({ [CERT_PATH]: servePem(DEV_KEYS.paypalCert) });
      certHost = await startHttpsHost({
        [CERT_PATH]: servePem(DEV_KEYS.paypalCert),
        '/v1/notifications/certs/CERT-expired': servePem(DEV_KEYS.paypalExpiredCert),
        '/v1/notifications/certs/CERT-redirect': (res) =>
          res.writeHead(302, { location: `https://${offListHost.host}${CERT_PATH}` }).end(),
        '/v1/notifications/certs/CERT-huge': servePem('-----BEGIN CERTIFICATE-----\n' + 'A'.repeat(100_000)),
      });
      receiver = await startTestReceiver(
        testConfig(database.url, { PAYPAL_WEBHOOK_ID: WEBHOOK_ID, PAYPAL_CERT_HOSTS: `api.paypal.com,${certHost.host}` }),
        { verifierOptions: { paypalCertCa: DEV_KEYS.testCa } },
      );
    });
    afterAll(async () => {
      await receiver.stop();
      await certHost.close();
      await offListHost.close();
    });
    beforeEach(async () => {
      await receiver.runtime.db.deleteFrom('events').execute();
      certHost.requests.length = 0;
      offListHost.requests.length = 0;
    });
    const send = (body: string, headers: Record<string, string>) => post(`${receiver.url}/webhooks/paypal`, body, headers);

    it('verifies with the fetched certificate and fetches it once for many events (cache)', async () => {
      const url = `https://${certHost.host}${CERT_PATH}`;
      expect((await send(created, signed(created, url))).status).toBe(200);
      const resolved = fixtureText('paypal/CUSTOMER.DISPUTE.RESOLVED.json');
      expect((await send(resolved, signed(resolved, url))).status).toBe(200);
      expect(certHost.requests).toEqual([CERT_PATH]);
    });

    it('never requests a certificate URL whose host is off the allowlist', async () => {
      const answer = await send(created, signed(created, `https://${offListHost.host}${CERT_PATH}`));
      expect(answer).toMatchObject({ status: 400, json: { error: 'untrusted_cert_url' } });
      expect(offListHost.requests).toEqual([]);
      expect(await countEvents(receiver.runtime.db)).toBe(0);
    });

    it('refuses a plain http certificate URL without fetching it', async () => {
      const answer = await send(created, signed(created, `http://${certHost.host}${CERT_PATH}`));
      expect(answer).toMatchObject({ status: 400, json: { error: 'untrusted_cert_url' } });
      expect(certHost.requests).toEqual([]);
    });

    it('refuses a path outside /v1/notifications/certs/ without fetching it', async () => {
      const answer = await send(created, signed(created, `https://${certHost.host}/v1/notifications/certs/../../admin`));
      expect(answer.json).toEqual({ error: 'untrusted_cert_url' });
      expect(certHost.requests).toEqual([]);
    });

    it('does not follow a redirect from the certificate host', async () => {
      const answer = await send(created, signed(created, `https://${certHost.host}/v1/notifications/certs/CERT-redirect`));
      expect(answer).toMatchObject({ status: 400, json: { error: 'untrusted_cert_url' } });
      expect(offListHost.requests).toEqual([]);
    });

    it('refuses an expired certificate', async () => {
      const answer = await send(created, signed(created, `https://${certHost.host}/v1/notifications/certs/CERT-expired`));
      expect(answer).toMatchObject({ status: 400, json: { error: 'invalid_certificate' } });
    });

    it('stops reading a certificate larger than the size cap', async () => {
      const answer = await send(created, signed(created, `https://${certHost.host}/v1/notifications/certs/CERT-huge`));
      expect(answer).toMatchObject({ status: 400, json: { error: 'invalid_certificate' } });
    });
  });

  describe("api mode: PayPal's verify-webhook-signature endpoint", () => {
    let receiver: TestReceiver;
    let fakePaypal: http.Server;
    const verifyBodies: string[] = [];
    const verifyAuth: string[] = [];

    beforeAll(async () => {
      // Speaks PayPal's wire format: OAuth token, then a verification that recomputes the signature
      // over the webhook_event bytes exactly as they arrived inside our request.
      fakePaypal = http.createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          res.setHeader('content-type', 'application/json');
          if (req.url === '/v1/oauth2/token') {
            return res.end(JSON.stringify({ access_token: 'A21AA-fake-token', token_type: 'Bearer', expires_in: 32400, scope: 'x' }));
          }
          if (req.url === '/v1/notifications/verify-webhook-signature') {
            verifyBodies.push(body);
            verifyAuth.push(req.headers.authorization ?? '');
            const fields = JSON.parse(body);
            const eventBytes = Buffer.from(body.slice(body.indexOf('"webhook_event":') + '"webhook_event":'.length, -1));
            const data = paypalSignedString(fields.transmission_id, fields.transmission_time, fields.webhook_id, eventBytes);
            const ok = verify('sha256', Buffer.from(data), new X509Certificate(DEV_KEYS.paypalCert).publicKey, Buffer.from(fields.transmission_sig, 'base64'));
            return res.end(JSON.stringify({ verification_status: ok ? 'SUCCESS' : 'FAILURE' }));
          }
          res.writeHead(404).end('{}');
        });
      });
      await new Promise<void>((resolve) => fakePaypal.listen(0, '127.0.0.1', resolve));
      receiver = await startTestReceiver(
        testConfig(database.url, {
          PAYPAL_WEBHOOK_ID: WEBHOOK_ID,
          PAYPAL_VERIFY: 'api',
          PAYPAL_CLIENT_ID: 'client-id',
          PAYPAL_CLIENT_SECRET: 'client-secret',
          PAYPAL_API_BASE: `http://127.0.0.1:${(fakePaypal.address() as AddressInfo).port}`,
        }),
      );
    });
    afterAll(async () => {
      await receiver.stop();
      fakePaypal.closeAllConnections();
      await new Promise((resolve) => fakePaypal.close(resolve));
    });
    beforeEach(() => receiver.runtime.db.deleteFrom('events').execute());

    it('passes the event to PayPal byte for byte as received and stores it on SUCCESS', async () => {
      const certUrl = `https://api.sandbox.paypal.com${CERT_PATH}`;
      const answer = await post(`${receiver.url}/webhooks/paypal`, created, signed(created, certUrl));
      expect(answer.status).toBe(200);
      const sent = verifyBodies.at(-1)!;
      expect(sent.endsWith(`"webhook_event":${created}}`)).toBe(true);
      expect(JSON.parse(sent)).toMatchObject({ auth_algo: 'SHA256withRSA', cert_url: certUrl, webhook_id: WEBHOOK_ID });
      expect(verifyAuth.at(-1)).toBe('Bearer A21AA-fake-token');
    });

    it('refuses the event when PayPal answers FAILURE', async () => {
      const headers = signed(created, `https://api.sandbox.paypal.com${CERT_PATH}`);
      const answer = await post(`${receiver.url}/webhooks/paypal`, created.replace('Mateo', 'Mallory'), headers);
      expect(answer).toMatchObject({ status: 400, json: { error: 'invalid_signature' } });
      expect(await countEvents(receiver.runtime.db)).toBe(0);
    });
  });
});
