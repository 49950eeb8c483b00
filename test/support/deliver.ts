import type { Config } from '../../src/config';
import type { Provider } from '../../src/db/schema';
import { findEvent } from '../../src/db/events';
import { findSubmission } from '../../src/submission/repository';
import type { Db } from '../../src/db/pool';
import { signDelivery } from '../../src/providers';

export { signDelivery };
import { post } from './http';
import { waitFor } from './services';

/** Posts a body to the receiver signed exactly as its provider would. */
export async function deliver(url: string, config: Config, provider: Provider, body: string) {
  const answer = await post(`${url}/webhooks/${provider}`, body, signDelivery(provider, body, config));
  if (answer.status !== 200) throw new Error(`${provider} delivery answered ${answer.status}: ${answer.text}`);
  return answer.json as { eventId: string; duplicate: boolean };
}

/** Waits until a worker is done with the event (processed, ignored or failed for good). */
export function settled(db: Db, eventId: string, timeoutMs = 15_000) {
  return waitFor(async () => {
    const event = await findEvent(db, eventId);
    return event && ['processed', 'ignored', 'failed'].includes(event.status) ? event : undefined;
  }, timeoutMs, `event ${eventId} to settle`);
}

/** Waits until a submission has been sent or has failed for good. */
export function submissionFinished(db: Db, submissionId: string, timeoutMs = 20_000) {
  return waitFor(async () => {
    const s = await findSubmission(db, submissionId);
    return s && (s.status === 'sent' || s.status === 'failed') ? s : undefined;
  }, timeoutMs, 'the submission');
}
