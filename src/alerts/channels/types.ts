import type { AlertMessage } from '../messages';

export type ChannelName = 'email' | 'slack' | 'webhook';

/**
 * One way of telling staff. Throws to have the delivery retried. `alertId` is the same on every
 * attempt, so a receiver can drop a repeat (a crash after a send and before it was recorded).
 */
export interface AlertChannel {
  readonly name: ChannelName;
  send(message: AlertMessage, alertId: string): Promise<void>;
}

export async function postJson(url: string, body: string, headers: Record<string, string> = {}): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`${new URL(url).host} answered ${response.status}`);
}
