import { FakeFreshdesk } from './freshdesk';
import { FakeGorgias } from './gorgias';
import type { Posted, Story } from './helpdesk-story';
import type { RecordingServer } from './recording-server';
import { FakeZendesk } from './zendesk';

/** One fake helpdesk, its settings for Rebuttal, and where its message lists live (for scripting faults). */
export interface HelpdeskFake {
  name: 'zendesk' | 'gorgias' | 'freshdesk';
  server: RecordingServer & { story: Story; maxPageSize: number; posted: Posted[] };
  /** Environment variables that point Rebuttal at this fake. */
  env(options?: { wrongSecret?: boolean }): Record<string, string>;
  /** The route pattern of a ticket's message list. */
  messagesRoute: string;
}

export function fakeHelpdesk(name: HelpdeskFake['name'], story: Story): HelpdeskFake {
  switch (name) {
    case 'zendesk': {
      const server = new FakeZendesk(story, { email: 'ops@northwind.example.com', token: 'zd-api-token-1' });
      return {
        name,
        server,
        messagesRoute: '/api/v2/tickets/:id/comments(?:\\.json)?',
        env: (o = {}) => ({ ZENDESK_SUBDOMAIN: 'northwind', ZENDESK_EMAIL: 'ops@northwind.example.com', ZENDESK_API_TOKEN: o.wrongSecret ? 'revoked' : 'zd-api-token-1', ZENDESK_API_BASE: `${server.url}/api/v2` }),
      };
    }
    case 'gorgias': {
      const server = new FakeGorgias(story, { email: 'ops@northwind.example.com', key: 'gorgias-key-1' });
      return {
        name,
        server,
        messagesRoute: '/api/tickets/:id/messages',
        env: (o = {}) => ({ GORGIAS_DOMAIN: 'northwind', GORGIAS_EMAIL: 'ops@northwind.example.com', GORGIAS_API_KEY: o.wrongSecret ? 'revoked' : 'gorgias-key-1', GORGIAS_API_BASE: `${server.url}/api` }),
      };
    }
    case 'freshdesk': {
      const server = new FakeFreshdesk(story, 'fd-key-1');
      return {
        name,
        server,
        messagesRoute: '/api/v2/tickets/:id/conversations',
        env: (o = {}) => ({ FRESHDESK_DOMAIN: 'northwind', FRESHDESK_API_KEY: o.wrongSecret ? 'revoked' : 'fd-key-1', FRESHDESK_API_BASE: `${server.url}/api/v2` }),
      };
    }
  }
}

export const HELPDESKS = ['zendesk', 'gorgias', 'freshdesk'] as const;
