import type { DisputeFacts } from './facts';
import { STAGES, isTerminal, type Dispute, type DisputeStatus, type Stage } from './model';

/** The provider-owned part of a dispute record: what provider events decide. */
export type DisputeState = Omit<Dispute, 'id' | 'orderId' | 'evidence'> & {
  /** For each register, the version of the fact that wrote it: what a later fact must beat. */
  versions: Partial<Record<Register, Version>>;
};

export type DisputeChangeKind = 'opened' | 'updated' | 'deadline_changed' | 'closed';

export interface Applied {
  state: DisputeState;
  applied: boolean;
  note: string;
  changes: DisputeChangeKind[];
}

type Register = 'lifecycle' | 'providerPaymentId' | 'amount' | 'reason' | 'dueBy';
type Version = Array<number | string>;

const STATUS_RANK: Record<DisputeStatus, number> = { needs_response: 0, under_review: 1, won: 2, lost: 2, accepted: 2, closed: 2 };

/** Lexicographic: true when a is later than b. */
function later(a: Version, b: Version | undefined): boolean {
  if (!b) return true;
  for (let i = 0; i < a.length; i++) {
    if (a[i]! > b[i]!) return true;
    if (a[i]! < b[i]!) return false;
  }
  return false;
}

/**
 * Which lifecycle fact wins: a later stage first (a documented reopening: inquiry → chargeback →
 * pre-arbitration → arbitration); within a stage a terminal outcome (it sticks); then the
 * provider's ordering key; then needs_response < under_review < terminal for ties.
 */
function lifecycleVersion(fact: DisputeFacts, status: DisputeStatus, stage: Stage): Version {
  return [STAGES.indexOf(stage), isTerminal(status) ? 1 : 0, fact.order, STATUS_RANK[status], fact.providerStatus ?? ''];
}

/** Other fields: the newest fact that states them wins; the value breaks exact ties so any order agrees. */
function fieldVersion(fact: DisputeFacts, value: unknown): Version {
  return [fact.order, JSON.stringify(value)];
}

const minIso = (a: string, b: string) => (a < b ? a : b);
const maxIso = (a: string, b: string) => (a > b ? a : b);

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
    stage: 'chargeback',
    dueBy: null,
    openedAt: fact.openedAt ?? fact.occurredAt,
    updatedAt: fact.occurredAt,
    closedAt: null,
    outcome: null,
    versions: {},
  };
}

function merge(current: DisputeState, fact: DisputeFacts): DisputeState {
  const next: DisputeState = {
    ...current,
    versions: { ...current.versions },
    openedAt: minIso(current.openedAt, fact.openedAt ?? fact.occurredAt),
    updatedAt: maxIso(current.updatedAt, fact.occurredAt),
  };
  const write = <K extends Register>(register: K, value: unknown, apply: () => void) => {
    if (value === undefined) return;
    const version = fieldVersion(fact, value);
    if (later(version, next.versions[register])) {
      next.versions[register] = version;
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

  const status = fact.status ?? (current.versions.lifecycle ? current.status : undefined);
  if (status) {
    const stage = fact.stage ?? current.stage;
    const version = lifecycleVersion(fact, status, stage);
    const terminal = isTerminal(status);
    if (later(version, next.versions.lifecycle)) {
      const sameClosing = isTerminal(current.status) && terminal && stage === current.stage && current.closedAt;
      next.versions.lifecycle = version;
      next.status = status;
      next.stage = stage;
      next.providerStatus = fact.providerStatus ?? null;
      next.outcome = terminal ? (fact.outcome ?? (status === 'closed' ? null : current.outcome)) : null;
      next.closedAt = terminal ? (sameClosing ? minIso(sameClosing, fact.occurredAt) : fact.occurredAt) : null;
    } else if (terminal && isTerminal(next.status) && stage === next.stage && next.closedAt) {
      // The dispute closed when the first terminal fact of its stage says so, whichever arrived first.
      next.closedAt = minIso(next.closedAt, fact.occurredAt);
    }
  }
  return next;
}

function changesBetween(before: DisputeState | undefined, after: DisputeState): DisputeChangeKind[] {
  if (!before) return isTerminal(after.status) ? ['opened', 'closed'] : ['opened'];
  const changes: DisputeChangeKind[] = [];
  if (!isTerminal(before.status) && isTerminal(after.status)) changes.push('closed');
  if (isTerminal(before.status) && !isTerminal(after.status)) changes.push('opened');
  if (before.dueBy !== after.dueBy && !isTerminal(after.status)) changes.push('deadline_changed');
  const visible = ({ versions: _v, updatedAt: _u, ...fields }: DisputeState) => JSON.stringify(fields);
  if (changes.length === 0 && visible(before) !== visible(after)) changes.push('updated');
  return changes;
}

/**
 * Applies one provider fact to the record. Each field keeps the value of the newest fact that
 * states it, and the lifecycle (status, stage, outcome) follows the order above, so the same facts
 * in any order, any number of times, end in the same record: late, duplicate and out-of-order
 * deliveries are harmless. Pure.
 */
export function applyFact(current: DisputeState | undefined, fact: DisputeFacts): Applied {
  const state = merge(current ?? empty(fact), fact);
  const changes = changesBetween(current, state);
  const applied = !current || JSON.stringify(current.versions) !== JSON.stringify(state.versions) || changes.length > 0;
  const note = !current
    ? 'opened'
    : applied
      ? `applied${changes.length ? `: ${changes.join(', ')}` : ''}`
      : isTerminal(state.status) && fact.status && !isTerminal(fact.status)
        ? `skipped: the dispute is already ${state.status}`
        : 'skipped: older than what the record holds';
  return { state, applied, note, changes };
}
