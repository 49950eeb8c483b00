import type { Packet } from './packet';
import type { EvidenceKind } from './playbooks';

/** The evidence a provider field or evidence type stands for: one kind, or any one of several. */
export type Backing = EvidenceKind | readonly EvidenceKind[];

/**
 * Whether the packet holds the evidence behind a provider field: a `RETURN_POLICY` or a
 * `refund_policy` file is only sent with a refund policy in the packet. No backing: always true.
 */
export function backed(packet: Pick<Packet, 'items'>, backing: Backing | undefined): boolean {
  if (backing === undefined) return true;
  const kinds: readonly EvidenceKind[] = typeof backing === 'string' ? [backing] : backing;
  return packet.items.some((item) => kinds.includes(item.kind));
}
