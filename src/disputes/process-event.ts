import { ZodError } from 'zod';
import { findEvents, recordAttempts, type StoredEvent } from '../db/events';
import type { Db } from '../db/pool';
import type { Provider } from '../db/schema';
import type { Logger } from '../log';
import { UnknownCurrency } from '../money';
import { portsOf, type DisputeFetcher, type ProviderPortMap } from '../ports';
import { publishDisputeChanges, type DisputeChangeQueues } from '../queue/dispute-changes';
import { PermanentFailure, ProviderRejected } from '../errors';
import type { EventOutcome } from '../queue/event-jobs';
import { isIgnored, missingEssentials, type DisputeFacts, type Normalized } from './facts';
import { recordFacts, recordManyFacts, type RecordedEvent } from './repository';
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

/** A stored event read: its payload parsed and normalized, or the reason it fails for good. */
interface ReadEvent {
  event: StoredEvent;
  payload: unknown;
  normalized: Normalized;
  log: Logger;
}

function readEvent(deps: ProcessEventDeps, event: StoredEvent): ReadEvent {
  let payload: unknown;
  try {
    payload = JSON.parse(event.rawBody.toString('utf8'));
  } catch {
    throw new PermanentFailure('the stored body is not JSON');
  }
  const log = deps.log.child({ eventId: event.id, provider: event.provider, type: event.type });
  const normalized = normalize(deps.providers, event.provider, payload);
  if (!isIgnored(normalized) && normalized.unknownValues.length > 0) log.warn({ unknownValues: normalized.unknownValues }, 'provider values no mapping knows');
  return { event, payload, normalized, log };
}

/** What a read event asks of processing: nothing more, its facts recorded, or work of its own. */
type Plan =
  | { kind: 'ignored'; reason: string }
  | { kind: 'facts'; facts: DisputeFacts[] }
  /** it needs the provider's API first, or it is a warning to keep */
  | { kind: 'alone' };

function planOf(deps: ProcessEventDeps, read: ReadEvent): Plan {
  const { event, normalized, log } = read;
  const ports = portsOf(deps.providers, event.provider);
  if (isIgnored(normalized)) {
    if (deps.keepWarning && ports.readWarning?.(read.payload)) return { kind: 'alone' };
    log.info({ why: normalized.ignored }, 'event ignored');
    return { kind: 'ignored', reason: normalized.ignored };
  }
  const missing = missingEssentials(normalized);
  if (missing.length > 0 && ports.fetchDispute) return { kind: 'alone' };
  if (missing.length > 0) log.warn({ missing }, `the payload lacks essentials and ${event.provider} API credentials are not set to fetch them`);
  return { kind: 'facts', facts: [normalized] };
}

/** A warning kept, or the dispute completed from the provider's API: one event, its own transaction. */
async function processAlone(deps: ProcessEventDeps, read: ReadEvent): Promise<RecordedEvent | EventOutcome> {
  const { event, normalized, log } = read;
  const ports = portsOf(deps.providers, event.provider);
  if (isIgnored(normalized)) {
    const warning = ports.readWarning!(read.payload)!;
    await deps.keepWarning!(warning);
    log.info({ providerWarningId: warning.providerWarningId }, 'early fraud warning recorded');
    return { status: 'processed' };
  }
  log.info({ missing: missingEssentials(normalized) }, `the payload lacks essentials: reading the dispute from the ${event.provider} API`);
  const fetched = await fetchDispute(event.provider, ports.fetchDispute!, normalized.providerDisputeId);
  return recordFacts(deps.db, timelineRefOf(event), [fetched, normalized]);
}

/** Events processed on their own at once: each may wait on a provider's API, in its own transaction. */
const ALONE_AT_ONCE = 8;

const timelineRefOf = (event: StoredEvent) => ({ id: event.id, type: event.type, source: event.redrivenAt ? ('redrive' as const) : event.source });

/**
 * One stored provider event → the canonical dispute: normalize, complete from the provider's API
 * when the payload lacks essentials, apply under the dispute's lock, tell the listening stages,
 * record the attempt. Idempotent: processing an event again changes nothing and repeats the same
 * announcements.
 */
export async function processEvent(deps: ProcessEventDeps, eventId: string): Promise<EventOutcome> {
  const [outcome] = await processEvents(deps, [eventId]);
  if (outcome instanceof Error) throw outcome;
  return outcome!;
}

/**
 * Many stored events at once, each as processEvent would process it alone, with one outcome per
 * id (an Error fails that event alone). Their facts go in one transaction and their changes to
 * each listening stage in one round trip; an event that needs the provider's API, a warning to
 * keep, or whose batch the database refused is processed on its own.
 */
export async function processEvents(deps: ProcessEventDeps, eventIds: readonly string[]): Promise<Array<EventOutcome | Error>> {
  const stored = await findEvents(deps.db, eventIds);
  const outcomes: Array<EventOutcome | Error> = [];
  const reads: Array<ReadEvent | undefined> = [];
  const plans: Array<Plan | undefined> = [];
  eventIds.forEach((id, i) => {
    const event = stored.get(id);
    try {
      if (!event) throw new PermanentFailure(`event ${id} is not in the store`);
      const read = (reads[i] = readEvent(deps, event));
      const plan = (plans[i] = planOf(deps, read));
      if (plan.kind === 'ignored') outcomes[i] = { status: 'ignored', reason: plan.reason };
    } catch (err) {
      outcomes[i] = asError(err);
    }
  });

  const batched = eventIds.flatMap((_, i) => {
    const plan = plans[i];
    return plan?.kind === 'facts' ? [{ index: i, event: timelineRefOf(reads[i]!.event), facts: plan.facts }] : [];
  });
  const recorded = new Map<number, RecordedEvent>();
  if (batched.length > 0) {
    try {
      const many = await deps.db.transaction().execute((trx) => recordManyFacts(trx, batched));
      many.forEach((r, j) => r && recorded.set(batched[j]!.index, r));
    } catch (err) {
      if (batched.length === 1) outcomes[batched[0]!.index] = asError(err);
      else deps.log.warn({ err, events: batched.length }, 'a batch of events was refused: processing each on its own');
    }
  }
  const alone = [...eventIds.keys()].filter((i) => plans[i] && !outcomes[i] && !recorded.has(i));
  const processOne = async (i: number) => {
    const plan = plans[i]!;
    try {
      const done = plan.kind === 'facts' ? await recordFacts(deps.db, timelineRefOf(reads[i]!.event), plan.facts) : await processAlone(deps, reads[i]!);
      if ('disputeId' in done) recorded.set(i, done);
      else outcomes[i] = done;
    } catch (err) {
      outcomes[i] = asError(err);
    }
  };
  for (let k = 0; k < alone.length; k += ALONE_AT_ONCE) await Promise.all(alone.slice(k, k + ALONE_AT_ONCE).map(processOne));

  const at = new Date().toISOString();
  try {
    await publishDisputeChanges(deps.queues, [...recorded.values()].flatMap((r) => r.changes.map((change) => ({ disputeId: r.disputeId, change, at }))));
  } catch (err) {
    // Not announced: those events fail this attempt and their retry announces again.
    for (const i of recorded.keys()) outcomes[i] = asError(err);
  }
  for (const [i, r] of recorded) {
    if (outcomes[i]) continue;
    reads[i]!.log.info({ disputeId: r.disputeId, note: r.note, changes: r.changes }, 'dispute updated');
    outcomes[i] = { status: 'processed' };
  }
  await recordAttempts(
    deps.db,
    eventIds.flatMap((id, i) => {
      const outcome = outcomes[i];
      if (!outcome || outcome instanceof Error) return [];
      return [outcome.status === 'ignored' ? { id, status: 'ignored' as const, error: outcome.reason } : { id, status: 'processed' as const }];
    }),
  );
  return outcomes;
}

const asError = (err: unknown) => (err instanceof Error ? err : new Error(String(err)));
