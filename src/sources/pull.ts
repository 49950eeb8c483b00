import type { Queue } from 'bullmq';
import type { Db } from '../db/pool';
import { evidenceFor } from '../evidence/gather';
import type { EvidenceInput } from '../evidence/packet';
import { contentHash } from '../evidence/packets';
import { regatherForOrders } from '../evidence/regather';
import type { Logger } from '../log';
import type { EnabledSource } from './clients';
import { SourceAuthFailed } from './errors';
import type { PaymentLookup } from './commerce/payment';
import { storePuller, trackingPuller } from './commerce/pullers';
import { customerEmails, pullConversation } from './helpdesk/pull';
import { lastQuery, recordPull } from './repository';
import type { HelpdeskClient, SourceKind } from './types';

export type PullOutcome = { records: number; changed: number } | { skipped: string };

/** What one kind of source asks for a dispute, and how it pulls and stores the answer. */
export interface Puller {
  /** The question for this dispute (emails, payment ids, tracking numbers); undefined = nothing to ask yet. */
  query(input: EvidenceInput): unknown;
  pull(ctx: { db: Db; log: Logger; payments?: PaymentLookup; source: string; client: unknown; input: EvidenceInput; query: unknown }): Promise<{ records: number; changed: number; changedOrders: string[] }>;
}

const helpdeskPuller: Puller = {
  query: (input) => (input.records && customerEmails(input).length ? customerEmails(input) : undefined),
  async pull({ db, source, client, input, query }) {
    const records = input.records!;
    const result = await pullConversation(db, source, client as HelpdeskClient, { ...input, records }, query as string[]);
    return { ...result, changedOrders: result.changed > 0 ? [records.orderId] : [] };
  },
};

/** One puller per kind; stores and tracking register theirs here. */
export const PULLERS: Partial<Record<SourceKind, Puller>> = {
  helpdesk: helpdeskPuller,
  store: storePuller,
  tracking: trackingPuller,
};

export interface PullDeps {
  db: Db;
  log: Logger;
  evidence: Queue;
  /** Who paid and when, from the payment provider: lets a store match by email + amount. */
  payments?: PaymentLookup;
  /** Told when a source refuses our credentials (one staff alert per source per day). */
  onAuthFailed?: (source: string, error: SourceAuthFailed) => Promise<void>;
}

/**
 * Pulls one source for one dispute and records the pull (ok or error) whatever happens. New or
 * changed records re-gather the packet. Errors are rethrown for the job's retry policy: refused
 * credentials and malformed payloads are permanent, the rest retry with backoff.
 */
export async function runPull(
  deps: PullDeps,
  enabled: EnabledSource,
  request: { disputeId: string; trigger: string; onlyIfQueryChanged?: boolean },
): Promise<PullOutcome> {
  const { module, client } = enabled;
  const puller = PULLERS[module.kind];
  if (!puller) return { skipped: `no puller for ${module.kind} sources` };
  const input = await evidenceFor(deps.db, request.disputeId);
  if (!input) return { skipped: 'dispute not found' };
  const query = puller.query(input);
  if (query === undefined) return { skipped: 'nothing to ask yet (no order or customer email known)' };
  // Kept as a hash: the question holds customer emails, the pull record needs only to tell it changed.
  const queryHash = contentHash(query);
  if (request.onlyIfQueryChanged && (await lastQuery(deps.db, module.name, request.disputeId)) === queryHash) return { skipped: 'already pulled for this question' };
  const base = { source: module.name, disputeId: request.disputeId, trigger: request.trigger, query: queryHash };
  let result: Awaited<ReturnType<Puller['pull']>>;
  try {
    result = await puller.pull({ db: deps.db, log: deps.log, payments: deps.payments, source: module.name, client, input, query });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await recordPull(deps.db, { ...base, status: 'error', records: 0, changed: 0, error: message });
    if (err instanceof SourceAuthFailed) await deps.onAuthFailed?.(module.name, err).catch((alertErr: unknown) => deps.log.warn({ err: alertErr }, 'could not alert staff'));
    throw err;
  }
  await recordPull(deps.db, { ...base, status: 'ok', records: result.records, changed: result.changed });
  if (result.changedOrders.length) await regatherForOrders(deps.db, deps.evidence, result.changedOrders);
  return { records: result.records, changed: result.changed };
}
