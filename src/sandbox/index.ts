import { randomUUID } from 'node:crypto';
import { providerModule } from '../providers';
import type { BuiltInProviderName as Provider } from '../providers';
import { FakePaypal } from './paypal';
import { FakeSquare } from './square';
import { FakeStripe } from './stripe';

/**
 * A development-only sandbox of the three providers' APIs (the fakes the tests drive the
 * official SDKs against), for `npm run demo`. It learns each dispute from the webhooks replayed
 * to Rebuttal, answers Rebuttal's API calls as the provider would, and once evidence lands it
 * sends the provider's follow-up webhook, signed, so the dispute moves to under review.
 */

export class SandboxRefused extends Error {
  constructor() {
    super('the provider sandbox is for development only and refuses to start when NODE_ENV=production');
    this.name = 'SandboxRefused';
  }
}

type Json = Record<string, any>;

export interface Forwarding {
  /** Rebuttal's base URL, where follow-up webhooks go. */
  url: string;
  /** The headers the provider would sign this body with. */
  sign(provider: Provider, body: string): Record<string, string>;
  /** One line per follow-up webhook: what was sent and the answer. */
  report?(line: string): void;
}

export interface Sandbox {
  urls: Record<Provider, string>;
  stripe: FakeStripe;
  paypal: FakePaypal;
  square: FakeSquare;
  /** Submissions each provider received. */
  received(): Record<Provider, number>;
  /** Learns the dispute a webhook (as replayed to Rebuttal) describes, so its API knows it. */
  learn(provider: string, payload: Json): void;
  forwardTo(forwarding: Forwarding): void;
  /** Resolves once every follow-up webhook sent so far has been answered. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** What the sandbox keeps of each dispute's last webhook: its envelope and its time on the provider's clock. */
interface Seen {
  envelope: Json;
  atMs: number;
}

const clone = <T>(value: T): T => structuredClone(value);

/** A time strictly after the dispute's last event and not before now, so the follow-up is the newest fact. */
const nextTime = (seen: Seen | undefined) => Math.max(Date.now(), (seen?.atMs ?? 0) + 1000);

function followUp(provider: Provider, dispute: Json, seen: Seen | undefined): Json {
  const atMs = nextTime(seen);
  const at = new Date(atMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (provider === 'stripe') {
    const envelope = seen?.envelope ?? { object: 'event', api_version: '2026-10-28.endive', livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null } };
    return { ...envelope, id: providerModule('stripe').replay.newEventId(), type: 'charge.dispute.updated', created: Math.floor(atMs / 1000), data: { object: dispute, previous_attributes: { status: 'needs_response' } } };
  }
  if (provider === 'square') {
    const envelope = seen?.envelope ?? { merchant_id: 'SANDBOX', location_id: dispute.location_id };
    return { ...envelope, type: 'dispute.state.updated', event_id: randomUUID(), created_at: at, data: { type: 'dispute', id: dispute.id, object: { object: { ...dispute, updated_at: at } } } };
  }
  const envelope = seen?.envelope ?? { event_version: '1.0', resource_type: 'dispute' };
  const { links: _links, ...rest } = envelope;
  return {
    ...rest,
    id: providerModule('paypal').replay.newEventId(),
    create_time: at,
    event_type: 'CUSTOMER.DISPUTE.UPDATED',
    summary: `A dispute was updated with Case # ${dispute.dispute_id}`,
    resource: { ...dispute, update_time: at },
  };
}

/** The dispute object a webhook carries, with its id. */
function disputeOf(provider: Provider, payload: Json): { id: string; dispute: Json; atMs: number } | undefined {
  if (provider === 'stripe') {
    const d = payload.data?.object;
    return d?.object === 'dispute' ? { id: d.id, dispute: d, atMs: payload.created * 1000 } : undefined;
  }
  if (provider === 'square') {
    const d = payload.data?.object?.object;
    return typeof payload.type === 'string' && payload.type.startsWith('dispute.') && d?.id ? { id: d.id, dispute: d, atMs: Date.parse(payload.created_at) } : undefined;
  }
  const d = payload.resource;
  return d?.dispute_id ? { id: d.dispute_id, dispute: d, atMs: Date.parse(d.update_time ?? payload.create_time) } : undefined;
}

export async function startSandbox(nodeEnv: string): Promise<Sandbox> {
  if (nodeEnv === 'production') throw new SandboxRefused();
  const fakes = { stripe: new FakeStripe(), paypal: new FakePaypal(), square: new FakeSquare() };
  const seen = new Map<string, Seen>();
  const pending = new Set<Promise<void>>();
  let forwarding: Forwarding | undefined;

  const send = async (provider: Provider, dispute: Json, id: string) => {
    if (!forwarding) return;
    // The provider answers the submission first; its webhook follows a moment later.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const key = `${provider}:${id}`;
    const event = followUp(provider, clone(dispute), seen.get(key));
    seen.set(key, { envelope: event, atMs: disputeOf(provider, event)?.atMs ?? Date.now() });
    const body = JSON.stringify(event);
    try {
      const answer = await fetch(`${forwarding.url}/webhooks/${provider}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...forwarding.sign(provider, body) } });
      forwarding.report?.(`sandbox ${provider}: evidence received for ${id}; sent ${event.type ?? event.event_type} → ${answer.status}`);
    } catch (err) {
      forwarding.report?.(`sandbox ${provider}: could not deliver the follow-up webhook for ${id}: ${(err as Error).message}`);
    }
  };
  for (const provider of ['stripe', 'paypal', 'square'] as const) {
    fakes[provider].onSubmitted = (dispute: Json) => {
      const id = provider === 'paypal' ? dispute.dispute_id : dispute.id;
      const delivery = send(provider, dispute, id).finally(() => pending.delete(delivery));
      pending.add(delivery);
    };
  }

  await Promise.all(Object.values(fakes).map((f) => f.start()));
  return {
    urls: { stripe: fakes.stripe.url, paypal: fakes.paypal.url, square: fakes.square.url },
    ...fakes,
    received: () => ({ stripe: fakes.stripe.submissions, paypal: fakes.paypal.submissions, square: fakes.square.submissions }),
    learn(name, payload) {
      if (!(name in fakes)) return; // a provider the sandbox does not play
      const provider = name as Provider;
      const found = disputeOf(provider, payload);
      if (!found) return;
      const key = `${provider}:${found.id}`;
      const last = seen.get(key);
      if (last && last.atMs > found.atMs) return; // an older fact: the sandbox keeps the newest state
      seen.set(key, { envelope: payload, atMs: found.atMs });
      fakes[provider].disputes.set(found.id, clone(found.dispute));
    },
    forwardTo(f) {
      forwarding = f;
    },
    async settled() {
      while (pending.size) await Promise.allSettled([...pending]);
    },
    async close() {
      await Promise.allSettled([...pending]);
      await Promise.all(Object.values(fakes).map((f) => f.close()));
    },
  };
}
