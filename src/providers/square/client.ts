import { SquareClient } from 'square';

/** The official SDK at SQUARE_API_BASE. Its automatic retries re-send POSTs, so callers of irreversible calls pass maxRetries: 0. */
export function createSquareClient(options: { accessToken: string; apiBase: string }): SquareClient {
  return new SquareClient({ token: options.accessToken, environment: options.apiBase, timeoutInSeconds: 10 });
}
