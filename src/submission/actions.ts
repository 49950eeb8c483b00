import { z } from 'zod';
import type { Money } from '../disputes/model';

/** What a merchant can do short of fighting: offer, accept with a refund type, write to the buyer, refund. */

export const OFFER_TYPES = ['refund', 'refund_with_return', 'refund_with_replacement', 'replacement'] as const;
export type OfferType = (typeof OFFER_TYPES)[number];

/** An offer to the buyer. `amount` is null only for a replacement without refund. */
export interface OfferRequest {
  type: OfferType;
  amount: Money | null;
  note: string;
}

export interface MessageRequest {
  body: string;
}

export const ACCEPT_TYPES = ['refund', 'refund_with_return', 'partial_refund'] as const;
export type AcceptType = (typeof ACCEPT_TYPES)[number];

/** Acceptance options (PayPal's accept-claim takes them; other providers accept the whole claim). */
export interface AcceptRequest {
  type?: AcceptType;
  amount?: Money;
  note?: string;
}

export interface RefundRequest {
  /** null: the whole remaining charge. */
  amount: Money | null;
}

const StoredMoney = z.object({ value: z.number().int(), currency: z.string() });
export const StoredOffer = z.object({ type: z.enum(OFFER_TYPES), amount: StoredMoney.nullable(), note: z.string() });
export const StoredMessage = z.object({ body: z.string() });
export const StoredAccept = z.object({ type: z.enum(ACCEPT_TYPES).optional(), amount: StoredMoney.optional(), note: z.string().optional() });
export const StoredRefund = z.object({ amount: StoredMoney.nullable() });

/** The actions a provider's dispute allows right now (PayPal: its links[]). */
export type ProviderAction = 'submit' | 'accept' | 'offer' | 'message';
