import { latestPacket } from '../../evidence/packets';
import type { EnabledSource } from '../clients';
import { runPull, type PullDeps } from '../pull';

/** The kinds pulled inline when a dispute opens: its order first, then its parcels. */
export const PULLED_BEFORE_FIRST_PACKET = ['store', 'tracking'] as const;

/**
 * When a dispute opens, its order and tracking are pulled before the first packet is built, so the
 * first packet (and what staff see first) has the real completeness. Bounded in time; a failing or
 * slow source is logged, recorded by its pull, retried by the sources queue, and never blocks the packet.
 */
export async function pullBeforeFirstPacket(deps: PullDeps, clients: Map<string, EnabledSource>, disputeId: string, timeoutMs = 20_000): Promise<void> {
  if (await latestPacket(deps.db, disputeId)) return;
  const deadline = Date.now() + timeoutMs;
  for (const kind of PULLED_BEFORE_FIRST_PACKET) {
    const enabled = [...clients.values()].filter((s) => s.module.kind === kind);
    if (!enabled.length) continue;
    const left = deadline - Date.now();
    if (left <= 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), left);
    });
    const pulls = Promise.allSettled(enabled.map((s) => runPull(deps, s, { disputeId, trigger: 'opened' }))).then((results) => {
      results.forEach((r, i) => {
        if (r.status === 'rejected') deps.log.warn({ err: r.reason, disputeId, source: enabled[i]!.module.name }, 'a source could not be pulled before the first packet');
      });
    });
    const outcome = await Promise.race([pulls, timeout]).finally(() => clearTimeout(timer));
    if (outcome === 'timeout') {
      deps.log.warn({ disputeId, kind }, 'sources still pulling at the first-packet deadline; the packet is built now and updated when they answer');
      return;
    }
  }
}
