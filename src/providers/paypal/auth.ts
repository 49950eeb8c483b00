import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { Client, Environment, OAuthToken } from '@paypal/paypal-server-sdk';

/**
 * The SDK only knows PayPal's two hosts. For any other base URL (a local fake, a proxy) its
 * connections are sent there by an agent; the request paths stay the SDK's own.
 */
class ToBaseUrl extends https.Agent {
  constructor(private readonly base: URL) {
    super({ keepAlive: true });
  }
  // Returning the socket synchronously is enough: the agent takes it from the return value.
  override createConnection(): net.Socket {
    const port = Number(this.base.port) || (this.base.protocol === 'https:' ? 443 : 80);
    return this.base.protocol === 'https:'
      ? tls.connect({ host: this.base.hostname, port, servername: this.base.hostname })
      : net.connect(port, this.base.hostname);
  }
}

export function createPaypalClient(options: { apiBase: string; clientId: string; clientSecret: string; timeoutMs?: number }): Client {
  // Required here, not imported: without PayPal's client credentials the SDK (≈6 MB of heap) is never loaded.
  const { Client, Environment }: typeof import('@paypal/paypal-server-sdk') = require('@paypal/paypal-server-sdk');
  const hosts: Record<string, Environment> = { 'api-m.sandbox.paypal.com': Environment.Sandbox, 'api-m.paypal.com': Environment.Production };
  const base = new URL(options.apiBase);
  const environment = hosts[base.host];
  return new Client({
    environment: environment ?? Environment.Sandbox,
    timeout: options.timeoutMs ?? 10_000,
    clientCredentialsAuthCredentials: { oAuthClientId: options.clientId, oAuthClientSecret: options.clientSecret },
    ...(environment ? {} : { httpClientOptions: { httpsAgent: new ToBaseUrl(base) } }),
  });
}

/** Bearer tokens for PayPal REST calls the SDK does not cover, refreshed when they expire. */
export class PaypalTokens {
  private token: Promise<OAuthToken> | undefined;
  constructor(private readonly client: Client) {}

  async bearer(): Promise<string> {
    const current = this.token;
    if (!current) {
      this.token = this.client.clientCredentialsAuthManager.fetchToken();
    } else {
      const token = await current.catch(() => undefined);
      if (!token || !this.client.clientCredentialsAuthManager.isValid(token) || isExpired(token)) {
        this.token = this.client.clientCredentialsAuthManager.fetchToken();
      }
    }
    const pending = this.token!;
    pending.catch(() => {
      if (this.token === pending) this.token = undefined;
    });
    return (await pending).accessToken;
  }
}

function isExpired(token: OAuthToken): boolean {
  return token.expiry !== undefined && BigInt(Math.floor(Date.now() / 1000) + 60) >= token.expiry;
}
