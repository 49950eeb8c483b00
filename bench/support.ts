import { readFileSync } from 'node:fs';

/** The tests' own: a TCP port nobody listens on right now. */
export { freePort } from '../test/support/redis-server';

/** A process's resident memory now, in MB to one decimal. */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 102.4) / 10;
}
