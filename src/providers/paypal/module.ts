import { X509Certificate } from 'node:crypto';
import { lookup as dnsLookup } from 'node:dns/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { baseUrl, httpUrl, list, optionalText, requireTogether } from '../../env';
import { withTimeout } from '../../time';
import { parseWith } from '../envelope';
import { isObject, randomText, rfc3339Time, shiftTimes, UPPER_ALPHANUMERIC } from '../replay';
import { defineProvider, fail, ok, SigningNotConfigured, warn, type SettingCheck } from '../types';
import { createPaypalClient, PaypalTokens } from './auth';
import { CertificateStore } from './certs';
import { PaypalApi } from './client';
import { paypalPaymentFacts } from './payment';
import { normalizePaypal, PaypalDispute, paypalDisputeFacts } from './normalize';
import { buildPaypalEvidence } from './packet';
import { paypalLister } from './list';
import { paypalResponder } from './respond';
import { paypalSignatureHeaders } from './sign';
import { paypalApiVerifier, paypalCertFileVerifier, paypalCertVerifier } from './verify';

const PaypalEnvelope = z.object({ id: z.string().min(1), event_type: z.string().min(1) });
const SANDBOX_PAYPAL = 'https://api-m.sandbox.paypal.com';
const PAYPAL_HOSTS = ['api.paypal.com', 'api.sandbox.paypal.com', 'api-m.paypal.com', 'api-m.sandbox.paypal.com'];

/** The development key `PAYPAL_CERT_FILE=fixtures/keys/paypal-dev-cert.pem` matches. */
export const DEV_PAYPAL_KEY_FILE = path.join(__dirname, '..', '..', '..', 'fixtures', 'keys', 'paypal-dev-key.pem');

const newPaypalEventId = () => `WH-${randomText(17, UPPER_ALPHANUMERIC)}-${randomText(17, UPPER_ALPHANUMERIC)}`;

export interface PaypalSettings {
  webhookId?: string;
  clientId?: string;
  clientSecret?: string;
  apiBase: string;
  verify: 'cert' | 'api';
  certHosts: readonly string[];
  certFile?: string;
}

export const paypalModule = defineProvider({
  name: 'paypal',
  displayName: 'PayPal',
  env: {
    PAYPAL_WEBHOOK_ID: optionalText,
    PAYPAL_CLIENT_ID: optionalText,
    PAYPAL_CLIENT_SECRET: optionalText,
    PAYPAL_API_BASE: httpUrl.default(SANDBOX_PAYPAL),
    PAYPAL_VERIFY: z.enum(['cert', 'api']).default('cert'),
    PAYPAL_CERT_HOSTS: list
      .transform((hosts) => (hosts.length > 0 ? hosts : PAYPAL_HOSTS))
      .pipe(z.array(z.string().regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, 'each entry must be host or host:port'))),
    PAYPAL_CERT_FILE: optionalText,
  },
  settings(env): PaypalSettings {
    const settings: PaypalSettings = {
      webhookId: env.PAYPAL_WEBHOOK_ID as string | undefined,
      clientId: env.PAYPAL_CLIENT_ID as string | undefined,
      clientSecret: env.PAYPAL_CLIENT_SECRET as string | undefined,
      apiBase: baseUrl(env.PAYPAL_API_BASE as string),
      verify: env.PAYPAL_VERIFY as 'cert' | 'api',
      certHosts: env.PAYPAL_CERT_HOSTS as string[],
      certFile: env.PAYPAL_CERT_FILE as string | undefined,
    };
    requireTogether(
      settings.verify === 'api' && !!settings.webhookId && !(settings.clientId && settings.clientSecret),
      'PAYPAL_CLIENT_ID',
      'PAYPAL_VERIFY=api needs PAYPAL_CLIENT_ID and PAYPAL_CLIENT_SECRET',
    );
    requireTogether(!!settings.certFile && env.NODE_ENV === 'production', 'PAYPAL_CERT_FILE', 'is for development and tests only and is refused when NODE_ENV=production');
    return settings;
  },
  secretSettings: ['clientSecret'],
  setup: { receive: 'PAYPAL_WEBHOOK_ID', submit: 'PAYPAL_CLIENT_ID and PAYPAL_CLIENT_SECRET' },
  signatureHeaders: ['paypal-transmission-sig'],

  parseEnvelope(json) {
    const envelope = parseWith(PaypalEnvelope, json, 'PayPal');
    return { providerEventId: envelope.id, type: envelope.event_type };
  },
  isDisputeEvent: (type) => type.startsWith('CUSTOMER.DISPUTE.') || type === 'RISK.DISPUTE.CREATED',
  normalize: normalizePaypal,
  buildEvidence: (packet) => ({ ...buildPaypalEvidence(packet) }),

  verifier(settings, options) {
    const { webhookId, certHosts } = settings;
    if (!webhookId) return undefined;
    if (settings.certFile) return paypalCertFileVerifier(webhookId, readFileSync(settings.certFile, 'utf8'), certHosts);
    if (settings.verify === 'api') {
      const client = createPaypalClient({ apiBase: settings.apiBase, clientId: settings.clientId!, clientSecret: settings.clientSecret! });
      return paypalApiVerifier(webhookId, settings.apiBase, new PaypalTokens(client), certHosts);
    }
    return paypalCertVerifier(webhookId, new CertificateStore(certHosts, options.paypalCertCa));
  },
  client: (settings) =>
    settings.clientId && settings.clientSecret ? new PaypalApi(settings.apiBase, { clientId: settings.clientId, clientSecret: settings.clientSecret }) : undefined,
  fetcher: (paypal) => async (id) => {
    const dispute = PaypalDispute.parse(await paypal.getDispute(id));
    return paypalDisputeFacts(dispute, dispute.update_time ?? new Date().toISOString());
  },
  responder: paypalResponder,
  lister: paypalLister,
  payment: (client) => (dispute) => paypalPaymentFacts(client, dispute.providerDisputeId, dispute.providerPaymentId!),

  checks(settings) {
    if (!settings.webhookId) return [warn('paypal', 'disabled: set PAYPAL_WEBHOOK_ID (the id of your webhook in the PayPal developer dashboard)')];
    const checks: SettingCheck[] = [ok('paypal webhooks', `webhook id ${settings.webhookId}, verify=${settings.certFile ? 'cert file' : settings.verify}`)];
    if (!settings.clientId || !settings.clientSecret) {
      checks.push((settings.verify === 'api' ? fail : warn)('paypal api', 'PAYPAL_CLIENT_ID and PAYPAL_CLIENT_SECRET are needed to fetch partial disputes and submit evidence'));
    }
    if (settings.certFile) {
      try {
        const cert = new X509Certificate(readFileSync(settings.certFile));
        if (new Date(cert.validTo) < new Date()) checks.push(fail('paypal cert file', `${settings.certFile} expired ${cert.validTo}`));
        else checks.push(warn('paypal cert file', `${settings.certFile}: development only, never in production`));
      } catch (err) {
        checks.push(fail('paypal cert file', `${settings.certFile} is not a readable PEM certificate (${(err as Error).message})`));
      }
    }
    return checks;
  },
  async networkChecks(settings) {
    if (!settings.webhookId || settings.certFile || settings.verify !== 'cert') return [];
    const resolvable = (host: string) => withTimeout(dnsLookup(host.split(':')[0]!), 2_000, 'dns').then(() => true, () => false);
    const resolved = await Promise.all(settings.certHosts.map(resolvable));
    const unreachable = settings.certHosts.filter((_, i) => !resolved[i]);
    return [unreachable.length ? warn('paypal cert hosts', `cannot resolve ${unreachable.join(', ')}: PayPal events will get 503 until they can be fetched`) : ok('paypal cert hosts', 'resolvable')];
  },
  replay: {
    detect: (payload) => typeof payload.event_type === 'string' && typeof payload.id === 'string',
    eventId: (payload) => (typeof payload.id === 'string' ? payload.id : '?'),
    eventTime: (payload) => rfc3339Time(payload.create_time),
    newEventId: newPaypalEventId,
    freshen(payload, offsetMs) {
      const event = shiftTimes(payload, offsetMs) as Record<string, unknown>;
      const oldId = String(payload.id);
      const id = newPaypalEventId();
      // PayPal's event links name the event.
      const links = Array.isArray(event.links)
        ? event.links.map((link) => (isObject(link) && typeof link.href === 'string' ? { ...link, href: link.href.replace(oldId, id) } : link))
        : event.links;
      return { ...event, id, ...(links === undefined ? {} : { links }) };
    },
    sign(body, settings) {
      if (!settings.webhookId) throw new SigningNotConfigured('PAYPAL_WEBHOOK_ID is not set');
      return paypalSignatureHeaders(body, { webhookId: settings.webhookId, privateKeyPem: readFileSync(DEV_PAYPAL_KEY_FILE, 'utf8') });
    },
  },
});
