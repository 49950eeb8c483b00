import { z } from 'zod';
import { accountName, allOrNone, optionalHttpUrl, optionalText, trimBase } from '../env';
import type { HelpdeskClient, SourceModule } from '../types';
import { freshdeskClient } from './client';

export interface FreshdeskSettings {
  domain: string;
  apiKey: string;
  apiBase: string;
  appBase: string;
}

/** Freshdesk v2: the ticket's description and public conversations in, one private note out. */
export const freshdesk: SourceModule<FreshdeskSettings, HelpdeskClient> = {
  name: 'freshdesk',
  kind: 'helpdesk',
  displayName: 'Freshdesk',
  env: z.object({
    FRESHDESK_DOMAIN: optionalText,
    FRESHDESK_API_KEY: optionalText,
    FRESHDESK_API_BASE: optionalHttpUrl,
  }),
  settings(env) {
    const set = allOrNone(env, ['FRESHDESK_DOMAIN', 'FRESHDESK_API_KEY'], 'Freshdesk');
    if (!set) return undefined;
    const domain = accountName(set.FRESHDESK_DOMAIN, 'FRESHDESK_DOMAIN');
    const appBase = `https://${domain}.freshdesk.com`;
    return { domain, apiKey: set.FRESHDESK_API_KEY, apiBase: trimBase((env.FRESHDESK_API_BASE as string | undefined) ?? `${appBase}/api/v2`), appBase };
  },
  secrets: (s) => [s.apiKey],
  createClient: freshdeskClient,
};
