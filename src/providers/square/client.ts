import type { SquareClient } from 'square';

/** The official SDK at SQUARE_API_BASE. Its automatic retries re-send POSTs, so callers of irreversible calls pass maxRetries: 0. */
export function createSquareClient(options: { accessToken: string; apiBase: string }): SquareClient {
  // Required here, not imported: without SQUARE_ACCESS_TOKEN the SDK (≈19 MB of heap) is never loaded.
  const { SquareClient }: typeof import('square') = require('square');
  return new SquareClient({ token: options.accessToken, environment: options.apiBase, timeoutInSeconds: 10 });
}
