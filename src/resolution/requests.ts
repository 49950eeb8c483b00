import { z } from 'zod';
import type { Money } from '../disputes/model';
import { InvalidRequest } from '../errors';
import { currencyExponent, decimalToMinor, formatMoney, UnknownCurrency } from '../money';
import { ACCEPT_TYPES, OFFER_TYPES, type AcceptRequest, type MessageRequest, type OfferRequest } from '../submission/actions';

/**
 * The bodies of the resolution endpoints, checked before anything is stored or sent: a bad
 * amount is 400 naming the field. `amount.value` is an integer of minor units, as everywhere in
 * the API, or a decimal string in major units ("12.34"), converted by money.ts.
 */

const AmountBody = z.object({ value: z.union([z.number(), z.string()]), currency: z.string() }).strict();

export const OfferBody = z.object({
  type: z.enum(OFFER_TYPES),
  amount: AmountBody.optional(),
  note: z.string().trim().min(1, 'a note to the buyer is required').max(2000),
}).strict();

export const MessageBody = z.object({ body: z.string().trim().min(1).max(2000) }).strict();

export const AcceptBody = z.object({
  type: z.enum(ACCEPT_TYPES).optional(),
  amount: AmountBody.optional(),
  note: z.string().trim().min(1).max(2000).optional(),
}).strict();

export const RefundBody = z.object({ amount: AmountBody.optional() }).strict();

const invalid = (path: string, message: string) => new InvalidRequest([{ path, message }]);

/** An amount in the given field, in `limit`'s currency, above zero and at most `limit`. */
export function checkAmount(field: string, body: z.infer<typeof AmountBody>, limit: Money | null): Money {
  const currency = body.currency.toUpperCase();
  try {
    currencyExponent(currency);
  } catch (err) {
    if (err instanceof UnknownCurrency) throw invalid(`${field}.currency`, `${body.currency} is not an ISO 4217 currency`);
    throw err;
  }
  if (limit && currency !== limit.currency) throw invalid(`${field}.currency`, `must be ${limit.currency}, the disputed amount's currency`);
  let value: number;
  if (typeof body.value === 'number') {
    if (!Number.isSafeInteger(body.value)) throw invalid(`${field}.value`, `must be an integer of minor units (${currency} has ${currencyExponent(currency)} decimals)`);
    value = body.value;
  } else {
    try {
      value = decimalToMinor(body.value, currency);
    } catch (err) {
      throw invalid(`${field}.value`, err instanceof Error ? err.message : String(err));
    }
  }
  if (value <= 0) throw invalid(`${field}.value`, 'must be more than zero');
  if (limit && value > limit.value) throw invalid(`${field}.value`, `must be at most the disputed ${formatMoney(limit)}`);
  return { value, currency };
}

export function offerRequest(body: unknown, disputed: Money | null): OfferRequest {
  const offer = OfferBody.parse(body);
  if (offer.type === 'replacement') {
    if (offer.amount) throw invalid('amount', 'a replacement without refund takes no amount');
    return { type: offer.type, amount: null, note: offer.note };
  }
  if (!offer.amount) throw invalid('amount', `an offer of type ${offer.type} needs an amount`);
  return { type: offer.type, amount: checkAmount('amount', offer.amount, disputed), note: offer.note };
}

export function messageRequest(body: unknown): MessageRequest {
  return { body: MessageBody.parse(body).body };
}

/** Empty body: accept the whole claim as a refund, as before. */
export function acceptRequest(body: unknown, disputed: Money | null): AcceptRequest {
  const accept = AcceptBody.parse(body ?? {});
  if (accept.type === 'partial_refund' && !accept.amount) throw invalid('amount', 'a partial refund needs an amount');
  return {
    ...(accept.type ? { type: accept.type } : {}),
    ...(accept.amount ? { amount: checkAmount('amount', accept.amount, disputed) } : {}),
    ...(accept.note ? { note: accept.note } : {}),
  };
}

export function refundAmount(body: unknown, charge: Money | null): Money | null {
  const refund = RefundBody.parse(body ?? {});
  return refund.amount ? checkAmount('amount', refund.amount, charge) : null;
}
