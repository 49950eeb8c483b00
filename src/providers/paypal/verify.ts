import { X509Certificate, verify as verifySignature } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { VerificationUnavailable, WebhookRejected } from '../../errors';
import { headerValue, type WebhookVerifier } from '../types';
import type { PaypalTokens } from './auth';
import { trustedCertUrl, usableCertificate, type CertificateStore } from './certs';
import { paypalSignedString } from './sign';

interface PaypalHeaders {
  transmissionId: string;
  transmissionTime: string;
  transmissionSig: string;
  certUrl: string;
  authAlgo: string;
}

function readHeaders(headers: IncomingHttpHeaders): PaypalHeaders {
  const values = {
    transmissionId: headerValue(headers, 'paypal-transmission-id'),
    transmissionTime: headerValue(headers, 'paypal-transmission-time'),
    transmissionSig: headerValue(headers, 'paypal-transmission-sig'),
    certUrl: headerValue(headers, 'paypal-cert-url'),
    authAlgo: headerValue(headers, 'paypal-auth-algo'),
  };
  const missing = Object.entries(values).filter(([, v]) => !v).map(([k]) => k);
  if (missing.length > 0) throw new WebhookRejected('invalid_signature', `PayPal signature headers absent: ${missing.join(', ')}`);
  if (values.authAlgo !== 'SHA256withRSA') throw new WebhookRejected('invalid_signature', 'unsupported paypal-auth-algo');
  return values as PaypalHeaders;
}

function checkRsaSignature(raw: Buffer, h: PaypalHeaders, webhookId: string, cert: X509Certificate): void {
  const data = Buffer.from(paypalSignedString(h.transmissionId, h.transmissionTime, webhookId, raw));
  const valid = verifySignature('sha256', data, cert.publicKey, Buffer.from(h.transmissionSig, 'base64'));
  if (!valid) throw new WebhookRejected('invalid_signature', 'PayPal signature does not verify');
}

/** cert mode: the certificate named in paypal-cert-url, fetched from an allowlisted host. */
export function paypalCertVerifier(webhookId: string, certs: CertificateStore): WebhookVerifier {
  return {
    async verify(raw, headers) {
      const h = readHeaders(headers);
      checkRsaSignature(raw, h, webhookId, await certs.certificate(h.certUrl));
    },
  };
}

/** Development and tests: one PEM certificate from PAYPAL_CERT_FILE; the URL is still checked, never fetched. */
export function paypalCertFileVerifier(webhookId: string, certPem: string, allowedHosts: readonly string[]): WebhookVerifier {
  return {
    async verify(raw, headers) {
      const h = readHeaders(headers);
      trustedCertUrl(h.certUrl, allowedHosts);
      checkRsaSignature(raw, h, webhookId, usableCertificate(certPem));
    },
  };
}

/**
 * api mode: PayPal's verify-webhook-signature. The event must reach PayPal byte for byte as it
 * came, so the request body is spliced around the raw text instead of re-serialized.
 */
export function paypalApiVerifier(
  webhookId: string,
  apiBase: string,
  tokens: PaypalTokens,
  allowedHosts: readonly string[],
  timeoutMs = 10_000,
): WebhookVerifier {
  return {
    async verify(raw, headers) {
      const h = readHeaders(headers);
      trustedCertUrl(h.certUrl, allowedHosts);
      const fields = JSON.stringify({
        auth_algo: h.authAlgo,
        cert_url: h.certUrl,
        transmission_id: h.transmissionId,
        transmission_sig: h.transmissionSig,
        transmission_time: h.transmissionTime,
        webhook_id: webhookId,
      });
      const body = `${fields.slice(0, -1)},"webhook_event":${raw.toString('utf8')}}`;
      let response: Response;
      try {
        response = await fetch(`${apiBase}/v1/notifications/verify-webhook-signature`, {
          method: 'POST',
          headers: { authorization: `Bearer ${await tokens.bearer()}`, 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        throw new VerificationUnavailable('PayPal verify-webhook-signature did not answer', { cause: err });
      }
      if (!response.ok) throw new VerificationUnavailable(`PayPal verify-webhook-signature answered ${response.status}`);
      const answer = (await response.json().catch(() => ({}))) as { verification_status?: string };
      if (answer.verification_status !== 'SUCCESS') {
        throw new WebhookRejected('invalid_signature', 'PayPal says the signature does not verify');
      }
    },
  };
}
