import type { Dispute } from '../disputes/model';
import { whyNoResponse } from './model';

export type AutoSubmitPlan = { action: 'none'; why: string } | { action: 'submit_now'; why: string } | { action: 'check_at'; at: Date };

/**
 * SUBMIT_MODE=auto: submit as soon as the packet is complete, and at the latest AUTO_SUBMIT_LEAD
 * before the deadline with whatever evidence there is.
 */
export function planAutoSubmit(dispute: Dispute, settings: { mode: 'review' | 'auto'; autoSubmitLeadMs: number }, now: Date): AutoSubmitPlan {
  if (settings.mode !== 'auto') return { action: 'none', why: 'SUBMIT_MODE is review' };
  const refused = whyNoResponse(dispute, now);
  if (refused) return { action: 'none', why: refused };
  if (dispute.evidence.completeness >= 1) return { action: 'submit_now', why: 'the evidence packet is complete' };
  if (!dispute.dueBy) return { action: 'none', why: 'no deadline yet and the packet is incomplete' };
  const latest = new Date(new Date(dispute.dueBy).getTime() - settings.autoSubmitLeadMs);
  if (latest <= now) return { action: 'submit_now', why: 'the deadline is within AUTO_SUBMIT_LEAD: submitting what there is' };
  return { action: 'check_at', at: latest };
}
