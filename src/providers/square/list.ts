import type { SquareClient } from 'square';
import type { DisputeLister } from '../../ports';
import { rejectedOr } from '../../errors';
import { SquareDispute, squareDisputeFacts, squareWireDispute } from './normalize';

/**
 * `disputes.list` through the SDK, every page (the SDK follows `cursor`). Square filters by state
 * only, so disputes not updated since the watermark are dropped here.
 */
export function squareLister(square: SquareClient): DisputeLister {
  return async function* listSquareDisputes(since) {
    try {
      for await (const listed of await square.disputes.list({})) {
        const wire = squareWireDispute(listed);
        const dispute = SquareDispute.parse(wire);
        const updatedAt = dispute.updated_at ?? dispute.created_at;
        if (updatedAt && Date.parse(updatedAt) < since.getTime()) continue;
        const id = (dispute.id ?? dispute.dispute_id)!;
        const payload = {
          event_id: `reconcile:${id}:v${dispute.version}`,
          type: 'dispute.state.changed',
          created_at: updatedAt ?? new Date().toISOString(),
          data: { type: 'dispute', id, object: { object: wire } },
        };
        yield { providerEventId: payload.event_id, type: payload.type, payload, facts: squareDisputeFacts(dispute, payload.created_at) };
      }
    } catch (err) {
      throw rejectedOr('square', err);
    }
  };
}
