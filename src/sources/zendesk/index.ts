import { z } from 'zod';
import { accountName, allOrNone, optionalHttpUrl, optionalText, trimBase } from '../env';
import type { HelpdeskClient, SourceModule } from '../types';
import { zendeskClient } from './client';

export interface ZendeskSettings {
  subdomain: string;
  email: string;
  apiToken: string;
  /** https://{subdomain}.zendesk.com/api/v2, or ZENDESK_API_BASE */
  apiBase: string;
  /** Where staff open a ticket: https://{subdomain}.zendesk.com */
  agentBase: string;
}

/** Zendesk Support: public comments in, one internal note out. */
export const zendesk: SourceModule<ZendeskSettings, HelpdeskClient> = {
  name: 'zendesk',
  kind: 'helpdesk',
  displayName: 'Zendesk Support',
  env: z.object({
    ZENDESK_SUBDOMAIN: optionalText,
    ZENDESK_EMAIL: optionalText,
    ZENDESK_API_TOKEN: optionalText,
    ZENDESK_API_BASE: optionalHttpUrl,
  }),
  settings(env) {
    const set = allOrNone(env, ['ZENDESK_SUBDOMAIN', 'ZENDESK_EMAIL', 'ZENDESK_API_TOKEN'], 'Zendesk');
    if (!set) return undefined;
    const subdomain = accountName(set.ZENDESK_SUBDOMAIN, 'ZENDESK_SUBDOMAIN');
    const agentBase = `https://${subdomain}.zendesk.com`;
    return {
      subdomain,
      email: set.ZENDESK_EMAIL,
      apiToken: set.ZENDESK_API_TOKEN,
      apiBase: trimBase((env.ZENDESK_API_BASE as string | undefined) ?? `${agentBase}/api/v2`),
      agentBase,
    };
  },
  secrets: (s) => [s.apiToken],
  createClient: zendeskClient,
};
