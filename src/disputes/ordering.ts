import type { DisputeFacts } from './facts';
import { STAGES, isTerminal, type Dispute, type DisputeStatus, type Outcome, type Stage } from './model';

/**
 * One provider fact's say on the lifecycle. `stage: null` when the provider did not name one
 * (Stripe won/lost/prevented, Square WON/LOST/ACCEPTED, a partial PayPal resource): the fact then
 * belongs to the stage the dispute was in at that moment, which later deliveries may reveal.
 */
export interface LifecycleFact {
  order: number;
  status: DisputeStatus;
  stage: Stage | null;
  providerStatus: string | null;
  occurredAt: string;
}

type Field = 'providerPaymentId' | 'amount' | 'reason' | 'dueBy';
type Version = Array<number | string>;

export interface Versions {
  /** For each field, the version of the fact that wrote it: what a later fact must beat. */
  fields: Partial<Record<Field, Version>>;
  /**
   * Every distinct lifecycle fact seen, in a canonical order. Status, stage, outcome and closedAt
   * are computed from this set, so the order the facts arrived in cannot change them.
   */
  lifecycle: LifecycleFact[];
}

/** The provider-owned part of a dispute record: what provider events decide. */
export type DisputeState = Omit<Dispute, 'id' | 'orderId' | 'evidence'> & { versions: Versions };

export type DisputeChangeKind = 'opened' | 'updated' | 'deadline_changed' | 'closed';

export interface Applied {
  state: DisputeState;
  applied: boolean;
  note: string;
  changes: DisputeChangeKind[];
}

const STATUS_RANK: Record<DisputeStatus, number> = { needs_response: 0, under_review: 1, won: 2, lost: 2, accepted: 2, closed: 2 };
const DEFAULT_STAGE: Stage = 'chargeback';

/** Lexicographic comparison of versions of equal shape. */
function compare(a: Version, b: Version): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i]! > b[i]!) return 1;
    if (a[i]! < b[i]!) return -1;
  }
  return 0;
}

/** Other fields: the newest fact that states them wins; the value breaks exact ties so any order agrees. */
function fieldVersion(fact: DisputeFacts, value: unknown): Version {
  return [fact.order, JSON.stringify(value)];
}

const stageIndex = (stage: Stage) => STAGES.indexOf(stage);
const minIso = (a: string, b: string) => (a < b ? a : b);
const maxIso = (a: string, b: string) => (a > b ? a : b);
const lifecycleKey = (f: LifecycleFact): Version => [f.order, f.status, f.stage ?? '', f.providerStatus ?? '', f.occurredAt];

/**
 * The stage a fact without one belongs to: the latest stage the provider had named by its order;
 * a fact older than every named stage belongs to the earliest one known.
 */
function stageAt(order: number, facts: LifecycleFact[]): Stage {
  const named = facts.flatMap((f) => (f.stage === null ? [] : [{ order: f.order, stage: f.stage }]));
  const before = named.filter((f) => f.order <= order);
  const pool = before.length > 0 ? before.map((f) => stageIndex(f.stage)) : named.map((f) => stageIndex(f.stage));
  if (pool.length === 0) return DEFAULT_STAGE;
  return STAGES[before.length > 0 ? Math.max(...pool) : Math.min(...pool)]!;
}

interface Lifecycle {
  winner: LifecycleFact;
  status: DisputeStatus;
  stage: Stage;
  providerStatus: string | null;
  outcome: Outcome | null;
  closedAt: string | null;
}

const outcomeOf = (status: DisputeStatus): Outcome | null =>
  status === 'won' || status === 'lost' || status === 'accepted' ? status : null;

/**
 * Which lifecycle fact decides: a later stage first (a documented reopening: inquiry →
 * chargeback → pre-arbitration → arbitration); within a stage a terminal outcome (it sticks),
 * an acceptance before any other outcome; then
 * the provider's ordering key; then needs_response < under_review < terminal for ties. The dispute
 * closed when the first terminal fact of that stage says so.
 */
function lifecycleOf(facts: LifecycleFact[]): Lifecycle | undefined {
  const resolved = facts.map((fact) => ({ fact, stage: fact.stage ?? stageAt(fact.order, facts) }));
  const rank = ({ fact, stage }: (typeof resolved)[number]): Version => [
    stageIndex(stage),
    isTerminal(fact.status) ? 1 : 0,
    // A concession sticks: once accepted (by us or as the provider reports), a later "lost" or
    // "closed" of the same stage does not turn it into a fight lost.
    fact.status === 'accepted' ? 1 : 0,
    fact.order,
    STATUS_RANK[fact.status],
    ...lifecycleKey(fact),
  ];
  const best = resolved.reduce<(typeof resolved)[number] | undefined>((a, b) => (!a || compare(rank(b), rank(a)) > 0 ? b : a), undefined);
  if (!best) return undefined;
  const terminal = isTerminal(best.fact.status);
  const closings = resolved.filter((r) => r.stage === best.stage && isTerminal(r.fact.status)).map((r) => r.fact.occurredAt);
  // An acceptance decides the status, but the provider's own word stays its latest (Stripe: "lost").
  const sameStageTerminal = resolved.filter((r) => r.stage === best.stage && isTerminal(r.fact.status) && r.fact.providerStatus !== null);
  const latestWord = best.fact.status === 'accepted' && sameStageTerminal.length
    ? sameStageTerminal.reduce((a, b) => (compare(lifecycleKey(b.fact), lifecycleKey(a.fact)) > 0 ? b : a)).fact.providerStatus
    : best.fact.providerStatus;
  return {
    winner: best.fact,
    status: best.fact.status,
    stage: best.stage,
    providerStatus: latestWord,
    outcome: outcomeOf(best.fact.status),
    closedAt: terminal ? closings.reduce(minIso) : null,
  };
}

/** A fact's lifecycle part; none when its status is unknown to the mapping tables (the status is kept). */
function lifecycleFact(fact: DisputeFacts): LifecycleFact | undefined {
  if (!fact.status) return undefined;
  return { order: fact.order, status: fact.status, stage: fact.stage ?? null, providerStatus: fact.providerStatus ?? null, occurredAt: fact.occurredAt };
}

function withLifecycleFact(facts: LifecycleFact[], fact: LifecycleFact | undefined): LifecycleFact[] {
  if (!fact || facts.some((f) => compare(lifecycleKey(f), lifecycleKey(fact)) === 0)) return facts;
  return [...facts, fact].sort((a, b) => compare(lifecycleKey(a), lifecycleKey(b)));
}

function empty(fact: DisputeFacts): DisputeState {
  return {
    provider: fact.provider,
    providerDisputeId: fact.providerDisputeId,
    providerPaymentId: null,
    amount: null,
    reason: 'general',
    providerReason: null,
    status: 'needs_response',
    providerStatus: null,
    stage: DEFAULT_STAGE,
    dueBy: null,
    openedAt: fact.openedAt ?? fact.occurredAt,
    updatedAt: fact.occurredAt,
    closedAt: null,
    outcome: null,
    versions: { fields: {}, lifecycle: [] },
  };
}

function merge(current: DisputeState, fact: DisputeFacts): DisputeState {
  const next: DisputeState = {
    ...current,
    versions: { fields: { ...current.versions.fields }, lifecycle: withLifecycleFact(current.versions.lifecycle, lifecycleFact(fact)) },
    openedAt: minIso(current.openedAt, fact.openedAt ?? fact.occurredAt),
    updatedAt: maxIso(current.updatedAt, fact.occurredAt),
  };
  const write = (field: Field, value: unknown, apply: () => void) => {
    if (value === undefined) return;
    const version = fieldVersion(fact, value);
    const held = next.versions.fields[field];
    if (!held || compare(version, held) > 0) {
      next.versions.fields[field] = version;
      apply();
    }
  };
  write('providerPaymentId', fact.providerPaymentId, () => (next.providerPaymentId = fact.providerPaymentId ?? null));
  write('amount', fact.amount, () => (next.amount = fact.amount ?? null));
  write('reason', fact.reason && [fact.reason, fact.providerReason], () => {
    next.reason = fact.reason!;
    next.providerReason = fact.providerReason ?? null;
  });
  write('dueBy', fact.dueBy, () => (next.dueBy = fact.dueBy ?? null));

  const lifecycle = lifecycleOf(next.versions.lifecycle);
  if (lifecycle) {
    const { winner: _winner, ...fields } = lifecycle;
    Object.assign(next, fields);
  }
  return next;
}

const visible = ({ versions: _v, updatedAt: _u, ...fields }: DisputeState) => JSON.stringify(fields);

function changesBetween(before: DisputeState | undefined, after: DisputeState): DisputeChangeKind[] {
  if (!before) return isTerminal(after.status) ? ['opened', 'closed'] : ['opened'];
  const changes: DisputeChangeKind[] = [];
  if (!isTerminal(before.status) && isTerminal(after.status)) changes.push('closed');
  if (isTerminal(before.status) && !isTerminal(after.status)) changes.push('opened');
  if (before.dueBy !== after.dueBy && !isTerminal(after.status)) changes.push('deadline_changed');
  if (changes.length === 0 && visible(before) !== visible(after)) changes.push('updated');
  return changes;
}

/** True when the fact now decides something it did not before: a field, or the lifecycle. */
function decides(before: DisputeState, after: DisputeState): boolean {
  const winner = (s: DisputeState) => lifecycleOf(s.versions.lifecycle)?.winner;
  const [was, is] = [winner(before), winner(after)];
  const winnerChanged = was === undefined || is === undefined ? was !== is : compare(lifecycleKey(was), lifecycleKey(is)) !== 0;
  return winnerChanged || JSON.stringify(before.versions.fields) !== JSON.stringify(after.versions.fields) || visible(before) !== visible(after);
}

function noteOf(applied: boolean, changes: DisputeChangeKind[], state: DisputeState, fact: DisputeFacts): string {
  const note = applied
    ? `applied${changes.length ? `: ${changes.join(', ')}` : ''}`
    : isTerminal(state.status) && fact.status && !isTerminal(fact.status)
      ? `skipped: the dispute is already ${state.status}`
      : 'skipped: nothing newer than what the record holds';
  const unknownStatus = fact.status === undefined && fact.providerStatus;
  return unknownStatus ? `${note} (status ${fact.providerStatus} is unknown: the dispute stays ${state.status})` : note;
}

/**
 * Applies one provider fact to the record. Each field keeps the value of the newest fact that
 * states it, and the lifecycle (status, stage, outcome, closedAt) is computed from the set of
 * lifecycle facts seen, so the same facts in any order, any number of times, end in the same
 * record: late, duplicate and out-of-order deliveries are harmless. Pure.
 */
export function applyFact(current: DisputeState | undefined, fact: DisputeFacts): Applied {
  const state = merge(current ?? empty(fact), fact);
  const changes = changesBetween(current, state);
  if (!current) return { state, applied: true, note: 'opened', changes };
  const applied = changes.length > 0 || decides(current, state);
  return { state, applied, note: noteOf(applied, changes, state, fact), changes };
}
