import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** The tests' own: a TCP port nobody listens on right now. */
export { freePort } from '../test/support/redis-server';

/** A process's resident memory now, in MB to one decimal. */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 102.4) / 10;
}

/** CPU time used so far (seconds) by each kind of process on this machine, and by the machine. */
export interface CpuSample {
  at: number;
  byPid: Map<number, { comm: string; seconds: number }>;
  machineBusy: number;
  machineTotal: number;
}

const TICKS_PER_SECOND = 100;

export function cpuSample(): CpuSample {
  const byPid = new Map<number, { comm: string; seconds: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    byPid.set(Number(entry), { comm, seconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND });
  }
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = cpu.reduce((a, b) => a + b, 0);
  return { at: performance.now(), byPid, machineBusy: (total - cpu[3]! - cpu[4]!) / TICKS_PER_SECOND, machineTotal: total / TICKS_PER_SECOND };
}

/** Cores used between two samples by the server under test, the load generator (this process unless told), PostgreSQL, Redis and the whole machine. */
export function coresBetween(
  before: CpuSample,
  after: CpuSample,
  serverPid: number,
  loadGeneratorPid: number = process.pid,
): Record<'server' | 'loadGenerator' | 'postgres' | 'redis' | 'machine', number> {
  const elapsed = (after.at - before.at) / 1000;
  const used = (match: (pid: number, comm: string) => boolean) => {
    let seconds = 0;
    for (const [pid, { comm, seconds: now }] of after.byPid) {
      if (match(pid, comm)) seconds += now - (before.byPid.get(pid)?.seconds ?? 0);
    }
    return Number((seconds / elapsed).toFixed(2));
  };
  const cores = (after.machineTotal - before.machineTotal) / elapsed;
  return {
    server: used((pid) => pid === serverPid),
    loadGenerator: used((pid) => pid === loadGeneratorPid),
    postgres: used((_pid, comm) => comm.startsWith('postgres')),
    redis: used((_pid, comm) => comm.startsWith('redis-server')),
    machine: Number((((after.machineBusy - before.machineBusy) / (after.machineTotal - before.machineTotal)) * cores).toFixed(2)),
  };
}
