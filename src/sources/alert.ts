import type { AlertChannel } from '../alerts/channels/types';
import type { AlertMessage } from '../alerts/messages';
import type { Db } from '../db/pool';
import type { Logger } from '../log';
import type { SourceAuthFailed } from './errors';
import { claimDailyAlert } from './repository';

/**
 * Staff hear once per source per UTC day that a source refuses our credentials; nothing else
 * stops. Sent on every configured alert channel, best effort (the source page keeps showing it).
 */
export async function alertSourceAuthFailed(
  deps: { db: Db; log: Logger; channels: AlertChannel[]; publicUrl: string; now?: () => Date },
  source: string,
  error: SourceAuthFailed,
): Promise<boolean> {
  const now = deps.now?.() ?? new Date();
  if (!(await claimDailyAlert(deps.db, source, now, error.message))) return false;
  const link = `${deps.publicUrl}/sources`;
  // A source alert is about no dispute: the channels read subject, lines and link only.
  const message = {
    kind: 'source_auth_failed',
    disputeId: null,
    subject: `Rebuttal cannot reach ${source}: credentials refused`,
    lines: [error.message, `Pulls and notes for ${source} stop until the credentials are fixed; disputes still get their packets.`, `Sources: ${link}`],
    link,
  } as unknown as AlertMessage;
  for (const channel of deps.channels) {
    await channel.send(message, `source-${source}-${now.toISOString().slice(0, 10)}`).catch((err: unknown) => deps.log.warn({ err, channel: channel.name, source }, 'could not send the source alert'));
  }
  deps.log.warn({ source }, 'source refused our credentials; staff alerted');
  return true;
}
