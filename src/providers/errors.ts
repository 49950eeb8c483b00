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
