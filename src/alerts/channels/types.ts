import type { z } from 'zod';
import type { AlertMessage } from '../messages';

/** A registered channel's name (src/alerts/channels/index.ts lists them). */
export type ChannelName = string;

/**
 * One way of telling staff. Throws to have the delivery retried. `alertId` is the same on every
 * attempt, so a receiver can drop a repeat (a crash after a send and before it was recorded).
 */
export interface AlertChannel {
  readonly name: ChannelName;
  send(message: AlertMessage, alertId: string): Promise<void>;
}

/**
 * A way of telling staff, described by itself: its settings, its secrets, how to make it.
 * Adding a channel is a file beside this one and a line in index.ts.
 */
export interface AlertChannelModule<Settings = any> {
  readonly name: ChannelName;
  /** Its environment variables (optional strings), checked at start with every other setting. */
  readonly env: z.ZodRawShape;
  /** The parsed variables → its settings, or undefined when it is not configured. Throws ConfigError for a half-made setup. */
  settings(env: Record<string, unknown>): Settings | undefined;
  /** Settings keys that hold secrets: redacted wherever a settings object could be logged. */
  readonly secretSettings: readonly string[];
  create(settings: Settings): AlertChannel;
}

export async function postJson(url: string, body: string, headers: Record<string, string> = {}): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`${new URL(url).host} answered ${response.status}`);
}
