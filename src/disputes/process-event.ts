import { ZodError } from 'zod';
import { findEvent } from '../db/events';
import type { Db } from '../db/pool';
import type { Provider } from '../db/schema';
import type { Logger } from '../log';
import { UnknownCurrency } from '../money';
import { adapters } from '../providers';
import { ProviderRejected } from '../providers/errors';
import { publishDisputeChange, type DisputeChangeQueues } from '../queue/dispute-changes';
import { PermanentFailure } from '../queue/errors';
import type { EventOutcome } from '../queue/event-jobs';
import { isIgnored, missingEssentials, type DisputeFacts, type Normalized } from './facts';
import { recordFacts } from './repository';
import type { ChargeRefunder } from '../resolution/refunder';
import { WARNING_READERS } from '../resolution/warning-readers';
import { recordWarning, type WarningFacts } from '../resolution/warnings';

/** A warning is kept with its charge's amount, read from the provider when the event lacks it. */
async function keepWarning(deps: ProcessEventDeps, warning: WarningFacts): Promise<void> {
  const amountOf = deps.refunders?.[warning.provider];
  let amount = warning.amount;
  if (!amount && amountOf) {
    amount = await amountOf.chargeAmount(warning.providerPaymentId).catch((err: unknown) => {
      if (err instanceof ProviderRejected) return null;
      throw err;
    });
  }
  await recordWarning(deps.db, { ...warning, amount });
}

/** Reads a dispute from its provider's API, as canonical facts: completes partial webhooks. */
export type DisputeFetcher = (providerDisputeId: string) => Promise<DisputeFacts>;

export interface ProcessEventDeps {
  db: Db;
  log: Logger;
  queues: DisputeChangeQueues;
  fetchers: Partial<Record<Provider, DisputeFetcher>>;
  /** Fills in a warned charge's amount when the warning lacks it (Stripe). */
  refunders?: Partial<Record<Provider, ChargeRefunder>>;
}

/** A schema's first complaint, said as where and what. */
function schemaComplaint(err: ZodError): string {
  const issue = err.issues[0];
  return `${issue?.path.join('.') || 'body'}: ${issue?.message}`;
}

/** Normalizers are pure: whatever they throw, they would throw again, so the event fails for good. */
function normalize(provider: Provider, payload: unknown): Normalized {
  try {
    return adapters[provider].normalize(payload);
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
  const normalized = normalize(event.provider, payload);
  if (isIgnored(normalized)) {
    const warning = WARNING_READERS[event.provider]?.(payload);
    if (warning) {
      await keepWarning(deps, warning);
      log.info({ providerWarningId: warning.providerWarningId }, 'early fraud warning recorded');
      return { status: 'processed' };
    }
    log.info({ why: normalized.ignored }, 'event ignored');
    return { status: 'ignored', reason: normalized.ignored };
  }
  if (normalized.unknownValues.length > 0) log.warn({ unknownValues: normalized.unknownValues }, 'provider values no mapping knows');

  const facts: DisputeFacts[] = [];
  const missing = missingEssentials(normalized);
  const fetcher = deps.fetchers[event.provider];
  if (missing.length > 0 && fetcher) {
    log.info({ missing }, `the payload lacks essentials: reading the dispute from the ${event.provider} API`);
    facts.push(await fetchDispute(event.provider, fetcher, normalized.providerDisputeId));
  } else if (missing.length > 0) {
    log.warn({ missing }, `the payload lacks essentials and ${event.provider} API credentials are not set to fetch them`);
  }
  facts.push(normalized);

  const recorded = await recordFacts(deps.db, { id: event.id, type: event.type }, facts);
  const at = new Date().toISOString();
  for (const change of recorded.changes) {
    await publishDisputeChange(deps.queues, { disputeId: recorded.disputeId, change, at });
  }
  log.info({ disputeId: recorded.disputeId, note: recorded.note, changes: recorded.changes }, 'dispute updated');
  return { status: 'processed' };
}
