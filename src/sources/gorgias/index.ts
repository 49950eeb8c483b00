import { z } from 'zod';
import { accountName, allOrNone, optionalHttpUrl, optionalText, trimBase } from '../env';
import type { HelpdeskClient, SourceModule } from '../types';
import { gorgiasClient } from './client';

export interface GorgiasSettings {
  domain: string;
  /** The Gorgias user the key belongs to: notes are sent as this user. */
  email: string;
  apiKey: string;
  apiBase: string;
  appBase: string;
}

/** Gorgias: public messages in, one internal note out. */
export const gorgias: SourceModule<GorgiasSettings, HelpdeskClient> = {
  name: 'gorgias',
  kind: 'helpdesk',
  displayName: 'Gorgias',
  env: z.object({
    GORGIAS_DOMAIN: optionalText,
    GORGIAS_EMAIL: optionalText,
    GORGIAS_API_KEY: optionalText,
    GORGIAS_API_BASE: optionalHttpUrl,
  }),
  settings(env) {
    const set = allOrNone(env, ['GORGIAS_DOMAIN', 'GORGIAS_EMAIL', 'GORGIAS_API_KEY'], 'Gorgias');
    if (!set) return undefined;
    const domain = accountName(set.GORGIAS_DOMAIN, 'GORGIAS_DOMAIN');
    const appBase = `https://${domain}.gorgias.com`;
    return { domain, email: set.GORGIAS_EMAIL, apiKey: set.GORGIAS_API_KEY, apiBase: trimBase((env.GORGIAS_API_BASE as string | undefined) ?? `${appBase}/api`), appBase };
  },
  secrets: (s) => [s.apiKey],
  createClient: gorgiasClient,
};
