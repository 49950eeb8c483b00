import { ZodError } from 'zod';
import { findEvent } from '../db/events';
import type { Db } from '../db/pool';
import type { Provider } from '../db/schema';
import type { Logger } from '../log';
import { UnknownCurrency } from '../money';
import { portsOf, type DisputeFetcher, type ProviderPortMap } from '../ports';
import { publishDisputeChange, type DisputeChangeQueues } from '../queue/dispute-changes';
import { PermanentFailure, ProviderRejected } from '../errors';
import type { EventOutcome } from '../queue/event-jobs';
import { isIgnored, missingEssentials, type DisputeFacts, type Normalized } from './facts';
import { recordFacts } from './repository';
import type { WarningFacts } from '../resolution/warnings';

export interface ProcessEventDeps {
  db: Db;
  log: Logger;
  queues: DisputeChangeQueues;
  providers: ProviderPortMap;
  /** Keeps a provider's warning ahead of a dispute (src/resolution); without it warnings are ignored. */
  keepWarning?: (warning: WarningFacts) => Promise<void>;
}

/** A schema's first complaint, said as where and what. */
function schemaComplaint(err: ZodError): string {
  const issue = err.issues[0];
  return `${issue?.path.join('.') || 'body'}: ${issue?.message}`;
}

/** Normalizers are pure: whatever they throw, they would throw again, so the event fails for good. */
function normalize(providers: ProviderPortMap, provider: Provider, payload: unknown): Normalized {
  try {
    return portsOf(providers, provider).normalize(payload);
  } catch (err) {
    if (err instanceof ZodError) throw new PermanentFailure(`unknown ${provider} payload shape: ${schemaComplaint(err)}`);
    throw new PermanentFailure(`cannot read this ${provider} payload: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * Reads the dispute from the provider's API. A refusal (4xx) or an answer of a shape we do not
 * know fails the event for good; timeouts, 429 and 5xx are thrown as they are, so the job is
 * retried with backoff and, after its last attempt, the event is failed and re-drivable.
 */
async function fetchDispute(provider: Provider, fetcher: DisputeFetcher, providerDisputeId: string): Promise<DisputeFacts> {
  try {
    return await fetcher(providerDisputeId);
  } catch (err) {
    if (err instanceof ProviderRejected) throw new PermanentFailure(err.message);
    if (err instanceof ZodError) throw new PermanentFailure(`unknown ${provider} API answer for dispute ${providerDisputeId}: ${schemaComplaint(err)}`);
    if (err instanceof UnknownCurrency) throw new PermanentFailure(err.message);
    throw err;
  }
}

/**
 * One stored provider event → the canonical dispute: normalize, complete from the provider's API
 * when the payload lacks essentials, apply under the dispute's lock, tell the listening stages.
 * Idempotent: processing an event again changes nothing and repeats the same announcements.
 */
export async function processEvent(deps: ProcessEventDeps, eventId: string): Promise<EventOutcome> {
  const event = await findEvent(deps.db, eventId);
  if (!event) throw new PermanentFailure(`event ${eventId} is not in the store`);
  let payload: unknown;
  try {
    payload = JSON.parse(event.rawBody.toString('utf8'));
  } catch {
    throw new PermanentFailure('the stored body is not JSON');
  }
  const log = deps.log.child({ eventId, provider: event.provider, type: event.type });
  const normalized = normalize(deps.providers, event.provider, payload);
  if (isIgnored(normalized)) {
    const warning = deps.keepWarning && portsOf(deps.providers, event.provider).readWarning?.(payload);
    if (warning) {
      await deps.keepWarning!(warning);
      log.info({ providerWarningId: warning.providerWarningId }, 'early fraud warning recorded');
      return { status: 'processed' };
    }
    log.info({ why: normalized.ignored }, 'event ignored');
    return { status: 'ignored', reason: normalized.ignored };
  }
  if (normalized.unknownValues.length > 0) log.warn({ unknownValues: normalized.unknownValues }, 'provider values no mapping knows');

  const facts: DisputeFacts[] = [];
  const missing = missingEssentials(normalized);
  const fetcher = portsOf(deps.providers, event.provider).fetchDispute;
  if (missing.length > 0 && fetcher) {
    log.info({ missing }, `the payload lacks essentials: reading the dispute from the ${event.provider} API`);
    facts.push(await fetchDispute(event.provider, fetcher, normalized.providerDisputeId));
  } else if (missing.length > 0) {
    log.warn({ missing }, `the payload lacks essentials and ${event.provider} API credentials are not set to fetch them`);
  }
  facts.push(normalized);

  const source = event.redrivenAt ? 'redrive' : event.source;
  const recorded = await recordFacts(deps.db, { id: event.id, type: event.type, source }, facts);
  const at = new Date().toISOString();
  for (const change of recorded.changes) {
    await publishDisputeChange(deps.queues, { disputeId: recorded.disputeId, change, at });
  }
  log.info({ disputeId: recorded.disputeId, note: recorded.note, changes: recorded.changes }, 'dispute updated');
  return { status: 'processed' };
}
