import { loadConfig } from '../src/config';
import { createProviderRegistry } from '../src/providers';
import { startupGuide } from '../src/startup-guide';

const guide = (config: ReturnType<typeof loadConfig>) => startupGuide(config, createProviderRegistry(config.providers));

describe('what `npm start` says it has enabled and what to set next', () => {
  it('with nothing configured: no provider is enabled, points to the demo, and names the settings of each provider', () => {
    const text = guide(loadConfig({})).join('\n');
    expect(text).toContain('no provider is enabled: every webhook answers 404 provider_not_configured');
    expect(text).toContain('npm run demo');
    expect(text).toContain('To enable stripe: set STRIPE_WEBHOOK_SECRETS, and STRIPE_SECRET_KEY to submit evidence.');
    expect(text).toContain('To enable paypal: set PAYPAL_WEBHOOK_ID, and PAYPAL_CLIENT_ID and PAYPAL_CLIENT_SECRET to submit evidence.');
    expect(text).toContain('To enable square: set SQUARE_SIGNATURE_KEYS and SQUARE_WEBHOOK_URL, and SQUARE_ACCESS_TOKEN to submit evidence.');
    expect(text).toContain('No alert channel: set SLACK_WEBHOOK_URL');
  });

  it('with Stripe fully set and PayPal receiving only: says so, and what PayPal still needs', () => {
    const config = loadConfig({
      STRIPE_WEBHOOK_SECRETS: 'whsec_guide_0123',
      STRIPE_SECRET_KEY: 'sk_test_guide',
      PAYPAL_WEBHOOK_ID: 'WH-GUIDE',
      SLACK_WEBHOOK_URL: 'https://hooks.slack.example.com/services/T0/B0/x',
    });
    const [first, ...rest] = guide(config);
    expect(first).toBe('Rebuttal is running. Enabled: stripe (webhooks and submissions), paypal (webhooks; submissions need PAYPAL_CLIENT_ID and PAYPAL_CLIENT_SECRET).');
    expect(rest.join('\n')).not.toContain('npm run demo');
    expect(rest.join('\n')).toContain('To enable square');
    expect(rest.join('\n')).toContain('Deadline alerts go to: slack; submissions: after staff review.');
  });
});
