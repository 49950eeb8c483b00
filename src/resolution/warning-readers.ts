import type { Provider } from '../db/schema';
import { readStripeWarning } from '../providers/stripe/warnings';
import type { WarningReader } from './warnings';

/** The providers that send warnings ahead of disputes: Stripe Radar's early fraud warnings. */
export const WARNING_READERS: Partial<Record<Provider, WarningReader>> = {
  stripe: readStripeWarning,
};
