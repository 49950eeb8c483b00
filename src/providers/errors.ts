/**
 * The provider refused the call (a 4xx): sending it again would be refused again. Submission
 * marks it failed with the provider's own words; anything else a provider throws is retried.
 */
export class ProviderRejected extends Error {
  constructor(readonly provider: string, readonly status: number, message: string) {
    super(`${provider} refused the request (${status}): ${message}`);
    this.name = 'ProviderRejected';
  }
}

/** An SDK error with a 4xx status becomes ProviderRejected; anything else stays retryable as it is. */
export function rejectedOr(provider: string, err: unknown): unknown {
  const status = (err as { statusCode?: number }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new ProviderRejected(provider, status, (err as { message?: string }).message ?? `HTTP ${status}`);
  }
  return err;
}
