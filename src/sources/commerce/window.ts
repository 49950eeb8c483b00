/** The email + amount rule looks this far either side of the payment: an order is paid when it is placed. */
export const EMAIL_AMOUNT_WINDOW_MS = 7 * 24 * 3600 * 1000;

/** Chargebacks arrive up to 120 days after the payment: with no payment date, look back this far from the dispute. */
export const LOOKBACK_MS = 120 * 24 * 3600 * 1000;

export interface TimeWindow {
  /** ISO-8601 */
  from: string;
  to: string;
}

export function around(atIso: string, ms: number): TimeWindow {
  const at = Date.parse(atIso);
  return { from: new Date(at - ms).toISOString(), to: new Date(at + ms).toISOString() };
}

export function within(window: TimeWindow, atIso: string): boolean {
  const at = Date.parse(atIso);
  return at >= Date.parse(window.from) && at <= Date.parse(window.to);
}

/** Where to look for the order of a payment: around its date when known, else the 120 days before the dispute. */
export function searchWindow(hint: { paidAt?: string; openedAt?: string } | undefined, now: Date): TimeWindow {
  if (hint?.paidAt) return around(hint.paidAt, EMAIL_AMOUNT_WINDOW_MS);
  const end = hint?.openedAt ? Date.parse(hint.openedAt) : now.getTime();
  return { from: new Date(end - LOOKBACK_MS).toISOString(), to: new Date(end).toISOString() };
}
