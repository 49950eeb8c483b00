import { X509Certificate } from 'node:crypto';
import https from 'node:https';
import { VerificationUnavailable, WebhookRejected } from '../../errors';

const CERT_PATH_PREFIX = '/v1/notifications/certs/';
const MAX_CERT_BYTES = 16 * 1024;
const FETCH_TIMEOUT_MS = 5_000;

/**
 * Checks a paypal-cert-url before anything touches the network: https, an allowlisted host
 * (optionally host:port), a path under /v1/notifications/certs/. Fetching anything else is an SSRF.
 */
export function trustedCertUrl(certUrl: string, allowedHosts: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(certUrl);
  } catch {
    throw new WebhookRejected('untrusted_cert_url', 'paypal-cert-url is not a URL');
  }
  const hostAllowed = allowedHosts.some((allowed) =>
    allowed.includes(':') ? allowed === url.host : allowed === url.host && url.port === '',
  );
  if (
    url.protocol !== 'https:' ||
    !hostAllowed ||
    !url.pathname.startsWith(CERT_PATH_PREFIX) ||
    url.pathname.includes('..') ||
    url.username ||
    url.password
  ) {
    throw new WebhookRejected('untrusted_cert_url', 'paypal-cert-url is not an allowlisted PayPal certificate URL');
  }
  return url;
}

/** A certificate PayPal could sign with now: parses, and within its validity dates. */
export function usableCertificate(pem: string, now = new Date()): X509Certificate {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    throw new WebhookRejected('invalid_certificate', 'the PayPal certificate does not parse');
  }
  if (now < new Date(cert.validFrom) || now > new Date(cert.validTo)) {
    throw new WebhookRejected('invalid_certificate', `the PayPal certificate is valid only ${cert.validFrom} – ${cert.validTo}`);
  }
  return cert;
}

/** Fetches certificates from allowlisted hosts only, without redirects, size-capped, cached by URL. */
export class CertificateStore {
  private readonly cache = new Map<string, Promise<string>>();

  constructor(
    private readonly allowedHosts: readonly string[],
    /** Extra trust for tests; production trusts the system store plus NODE_EXTRA_CA_CERTS. */
    private readonly ca?: string | Buffer,
  ) {}

  async certificate(certUrl: string): Promise<X509Certificate> {
    const url = trustedCertUrl(certUrl, this.allowedHosts);
    let pending = this.cache.get(url.href);
    if (!pending) {
      pending = this.download(url);
      this.cache.set(url.href, pending);
      pending.catch(() => this.cache.delete(url.href));
    }
    const cert = usableCertificate(await pending);
    return cert;
  }

  private download(url: URL): Promise<string> {
    return new Promise((resolve, reject) => {
      const request = https.get(url, { ca: this.ca, timeout: FETCH_TIMEOUT_MS, headers: { accept: '*/*' } }, (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          const redirected = response.statusCode !== undefined && response.statusCode >= 300 && response.statusCode < 400;
          reject(
            redirected
              ? new WebhookRejected('untrusted_cert_url', 'the PayPal certificate host answered with a redirect, not followed')
              : new VerificationUnavailable(`the PayPal certificate host answered ${response.statusCode}`),
          );
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_CERT_BYTES) {
            request.destroy();
            reject(new WebhookRejected('invalid_certificate', `the PayPal certificate is over ${MAX_CERT_BYTES} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        response.on('error', (err) => reject(new VerificationUnavailable('reading the PayPal certificate failed', { cause: err })));
      });
      request.on('timeout', () => request.destroy(new Error('timed out')));
      request.on('error', (err) => reject(new VerificationUnavailable(`fetching the PayPal certificate failed: ${err.message}`, { cause: err })));
    });
  }
}
