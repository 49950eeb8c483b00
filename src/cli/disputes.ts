import { Command, InvalidArgumentError, Option } from 'commander';
import type { Provider } from '../db/schema';
import { PROVIDER_NAMES } from '../providers';
import { DISPUTE_STATUSES, isTerminal, type Dispute, type DisputeStatus } from '../disputes/model';
import { listDisputes } from '../disputes/repository';
import { formatMoney } from '../money';
import { parseDuration } from '../time';
import { cliConfig, print, table, withDb } from './context';

function duration(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new InvalidArgumentError('use a duration such as 72h, 30m or 7d');
  return ms;
}

/** How long is left to respond; a closed dispute has nothing left to answer. */
export function timeLeft(dispute: Pick<Dispute, 'dueBy' | 'status'>, now: number): string {
  if (isTerminal(dispute.status)) return '-';
  if (!dispute.dueBy) return 'no deadline';
  const hours = Math.round((Date.parse(dispute.dueBy) - now) / 3_600_000);
  if (hours < 0) return `overdue ${-hours}h`;
  return hours >= 48 ? `${Math.round(hours / 24)}d left` : `${hours}h left`;
}

export function disputesTable(disputes: Dispute[], now: number): string {
  if (disputes.length === 0) return 'no disputes';
  return table([
    ['due', 'provider', 'amount', 'reason', 'status', 'stage', 'evidence', 'id'],
    ...disputes.map((d) => [
      timeLeft(d, now),
      d.provider,
      d.amount ? formatMoney(d.amount) : '?',
      d.reason,
      d.status,
      d.stage,
      `${Math.round(d.evidence.completeness * 100)}%`,
      d.id,
    ]),
  ]);
}

export const disputesCommand = () =>
  new Command('disputes')
    .description('disputes, soonest deadline first')
    .option('--due-within <duration>', 'only open disputes due within this long (e.g. 72h), overdue ones included', duration)
    .addOption(new Option('--status <status>').choices(DISPUTE_STATUSES))
    .addOption(new Option('--provider <name>').choices(PROVIDER_NAMES))
    .action(async (options: { dueWithin?: number; status?: DisputeStatus; provider?: Provider }) => {
      const now = Date.now();
      const dueBefore = options.dueWithin === undefined ? undefined : new Date(now + options.dueWithin);
      const listed = await withDb(cliConfig(), (db) => listDisputes(db, { status: options.status, provider: options.provider, dueBefore }));
      // A deadline only matters while the dispute still takes a response.
      const disputes = dueBefore && !options.status ? listed.filter((d) => !isTerminal(d.status)) : listed;
      print(disputesTable(disputes, now));
    });
