import { ConfigError, loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { SOURCES } from '../../src/sources';
import { LogCapture } from '../support/services';

const ZENDESK = { ZENDESK_SUBDOMAIN: 'northwind', ZENDESK_EMAIL: 'ops@northwind.example.com', ZENDESK_API_TOKEN: 'zd-token-123' };

describe('evidence source settings, checked at start with the rest of config', () => {
  it('leaves every source disabled when no credentials are set, with the documented defaults', () => {
    expect(loadConfig({}).sources).toEqual({ syncIntervalMs: 6 * 3_600_000, helpdeskNote: true, ackTemplate: undefined, enabled: {} });
  });

  it('enables a helpdesk whose credentials are all set, at its vendor URL unless *_API_BASE overrides it', () => {
    const config = loadConfig({ ...ZENDESK, FRESHDESK_DOMAIN: 'northwind', FRESHDESK_API_KEY: 'fd-key', FRESHDESK_API_BASE: 'http://127.0.0.1:9999/api/v2/' });
    expect(config.sources.enabled.zendesk).toMatchObject({ apiBase: 'https://northwind.zendesk.com/api/v2', agentBase: 'https://northwind.zendesk.com' });
    expect(config.sources.enabled.freshdesk).toMatchObject({ apiBase: 'http://127.0.0.1:9999/api/v2', appBase: 'https://northwind.freshdesk.com' });
    expect(config.sources.enabled.gorgias).toBeUndefined();
  });

  it.each([
    [{ ZENDESK_SUBDOMAIN: 'northwind', ZENDESK_API_TOKEN: 't' }, 'ZENDESK_EMAIL'],
    [{ GORGIAS_API_KEY: 'k' }, 'GORGIAS_DOMAIN'],
    [{ FRESHDESK_DOMAIN: 'northwind' }, 'FRESHDESK_API_KEY'],
    [{ ...ZENDESK, ZENDESK_API_BASE: 'ftp://example.com' }, 'ZENDESK_API_BASE'],
    [{ ...ZENDESK, ZENDESK_SUBDOMAIN: 'north wind' }, 'ZENDESK_SUBDOMAIN'],
    [{ SOURCE_SYNC_INTERVAL: 'often' }, 'SOURCE_SYNC_INTERVAL'],
    [{ HELPDESK_NOTE: 'maybe' }, 'HELPDESK_NOTE'],
  ])('a half-configured or invalid source stops start-up naming the variable (%o)', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Invalid setting ${variable}:`));
  });

  it('reads SOURCE_SYNC_INTERVAL, HELPDESK_NOTE and HELPDESK_ACK_TEMPLATE', () => {
    expect(loadConfig({ SOURCE_SYNC_INTERVAL: '30m', HELPDESK_NOTE: 'false', HELPDESK_ACK_TEMPLATE: 'Hi {name}' }).sources).toMatchObject({ syncIntervalMs: 1_800_000, helpdeskNote: false, ackTemplate: 'Hi {name}' });
  });

  it('each module names its secrets so they can be kept out of logs', () => {
    const config = loadConfig({ ...ZENDESK, GORGIAS_DOMAIN: 'nw', GORGIAS_EMAIL: 'a@b.co', GORGIAS_API_KEY: 'g-key', FRESHDESK_DOMAIN: 'nw', FRESHDESK_API_KEY: 'f-key' });
    expect(SOURCES.flatMap((m) => m.secrets?.(config.sources.enabled[m.name]) ?? [])).toEqual(['zd-token-123', 'g-key', 'f-key']);
  });

  it('a source\'s settings logged by mistake show no token or key', () => {
    const config = loadConfig({ ...ZENDESK, FRESHDESK_DOMAIN: 'nw', FRESHDESK_API_KEY: 'f-key-secret' });
    const capture = new LogCapture();
    const log = createLogger('info', capture);
    log.info({ settings: config.sources.enabled.zendesk }, 'zendesk');
    log.info({ settings: config.sources.enabled.freshdesk }, 'freshdesk');
    log.flush();
    expect(capture.text).toContain('northwind');
    expect(capture.text).not.toContain('zd-token-123');
    expect(capture.text).not.toContain('f-key-secret');
  });
});
