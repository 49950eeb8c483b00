import type { Queue } from 'bullmq';
import type { Db } from '../db/pool';
import type { Provider } from '../db/schema';
import { WEBHOOKS_MISSING_JOB } from '../alerts/jobs';
import { claimDailyAlert } from './repository';

/**
 * "Webhooks from <provider> are not arriving", once per provider per (UTC) day: the alerts worker
 * raises it on the dispute the found event opens or updates, once that event is processed.
 */
export function webhooksMissingAlert(db: Db, alerts: Queue, now: () => Date = () => new Date()) {
  return async (provider: Provider, eventId: string): Promise<void> => {
    const day = now().toISOString().slice(0, 10);
    if (!(await claimDailyAlert(db, provider, day, eventId))) return;
    try {
      await alerts.add(WEBHOOKS_MISSING_JOB, { provider, eventId, day }, { jobId: `webhooks-missing-${provider}-${day}` });
    } catch (err) {
      // Not said: give the next run the chance to say it.
      await db.deleteFrom('reconcile_alerts').where('provider', '=', provider).where('day', '=', day).execute();
      throw err;
    }
  };
}
