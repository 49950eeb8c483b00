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

/** A 4xx is a refusal, except 408 (timeout) and 429 (too many requests), which say "later". */
export function isRefusal(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/** An SDK error with a refusal status becomes ProviderRejected; anything else stays retryable as it is. */
export function rejectedOr(provider: string, err: unknown): unknown {
  const status = (err as { statusCode?: number }).statusCode;
  if (typeof status === 'number' && isRefusal(status)) {
    return new ProviderRejected(provider, status, (err as { message?: string }).message ?? `HTTP ${status}`);
  }
  return err;
}
