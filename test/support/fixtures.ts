import { readFileSync } from 'node:fs';
import path from 'node:path';

export const FIXTURES = path.join(__dirname, '..', '..', 'fixtures');

/** A fixture's bytes exactly as stored: providers sign bytes, not objects. */
export function fixtureText(relative: string): string {
  return readFileSync(path.join(FIXTURES, relative), 'utf8');
}

export function fixtureJson<T = Record<string, unknown>>(relative: string): T {
  return JSON.parse(fixtureText(relative)) as T;
}

export const DEV_KEYS = {
  paypalKey: fixtureText('keys/paypal-dev-key.pem'),
  paypalCertFile: path.join(FIXTURES, 'keys/paypal-dev-cert.pem'),
  paypalCert: fixtureText('keys/paypal-dev-cert.pem'),
  paypalExpiredCert: fixtureText('keys/paypal-expired-cert.pem'),
  testCa: fixtureText('keys/test-ca-cert.pem'),
  localhostKey: fixtureText('keys/localhost-key.pem'),
  localhostCert: fixtureText('keys/localhost-cert.pem'),
};
