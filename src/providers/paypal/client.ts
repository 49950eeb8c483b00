import { isRefusal, ProviderRejected } from '../../errors';
import { createPaypalClient, PaypalTokens } from './auth';

/**
 * PayPal's dispute REST endpoints, which the server SDK does not cover: called with Node's fetch
 * and a bearer token from the SDK's OAuth, at PAYPAL_API_BASE.
 */
export class PaypalApi {
  private readonly tokens: PaypalTokens;

  constructor(
    private readonly apiBase: string,
    credentials: { clientId: string; clientSecret: string },
    private readonly timeoutMs = 10_000,
  ) {
    this.tokens = new PaypalTokens(createPaypalClient({ apiBase, ...credentials, timeoutMs }));
  }

  /** GET /v1/customer/disputes/{id}: the whole dispute, with the actions it allows now in links[]. */
  async getDispute(disputeId: string): Promise<unknown> {
    return this.call('GET', `/v1/customer/disputes/${encodeURIComponent(disputeId)}`);
  }

  async call(method: 'GET' | 'POST', path: string, body?: { json?: unknown; form?: FormData }): Promise<unknown> {
    const headers: Record<string, string> = { authorization: `Bearer ${await this.tokens.bearer()}`, accept: 'application/json' };
    if (body?.json !== undefined) headers['content-type'] = 'application/json';
    const { response, text } = await this.send(method, path, {
      method,
      headers,
      body: body?.form ?? (body?.json === undefined ? undefined : JSON.stringify(body.json)),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (isRefusal(response.status)) throw new ProviderRejected('paypal', response.status, paypalMessage(text));
    if (!response.ok) throw new Error(`PayPal answered ${response.status} to ${method} ${path}`);
    return text ? JSON.parse(text) : {};
  }

  /** fetch, with its timeouts and connection failures said in words an operator can act on. */
  private async send(method: string, path: string, init: RequestInit): Promise<{ response: Response; text: string }> {
    try {
      const response = await fetch(`${this.apiBase}${path}`, init);
      return { response, text: await response.text() };
    } catch (err) {
      const { name, message, cause } = err as { name?: string; message?: string; cause?: { message?: string } };
      if (name === 'TimeoutError') throw new Error(`PayPal did not answer ${method} ${path} within ${this.timeoutMs} ms`);
      throw new Error(`PayPal could not be reached for ${method} ${path}: ${cause?.message ?? message}`, { cause: err });
    }
  }
}

function paypalMessage(body: string): string {
  try {
    const error = JSON.parse(body) as { name?: string; message?: string; details?: Array<{ issue?: string; description?: string }> };
    const issues = (error.details ?? []).map((d) => d.issue ?? d.description).filter(Boolean);
    return [error.name, error.message, ...issues].filter(Boolean).join(': ') || body.slice(0, 200);
  } catch {
    return body.slice(0, 200);
  }
}
