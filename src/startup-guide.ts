import { configuredChannels } from './alerts/channels';
import type { Config } from './config';
import type { ProviderRegistry } from './providers';

interface ProviderSetup {
  provider: string;
  /** Webhooks are verified (the provider can reach Rebuttal). */
  receives: boolean;
  /** API credentials are set (Rebuttal can submit and read back). */
  submits: boolean;
  toReceive: string;
  toSubmit: string;
}

function providerSetups(providers: ProviderRegistry): ProviderSetup[] {
  return [...providers.modules.values()].map((m) => ({
    provider: m.name,
    receives: providers.verifiers.has(m.name),
    submits: !!providers.ports.get(m.name)?.responder,
    toReceive: m.setup.receive,
    toSubmit: m.setup.submit,
  }));
}

/**
 * What this start has enabled and what to set next, for the person at the terminal: with nothing
 * configured Rebuttal runs but no webhook is accepted, which says nothing by itself.
 */
export function startupGuide(config: Config, providers: ProviderRegistry): string[] {
  const setups = providerSetups(providers);
  const enabled = setups.filter((s) => s.receives);
  const lines: string[] = [];
  if (enabled.length === 0) {
    lines.push('Rebuttal is running, but no provider is enabled: every webhook answers 404 provider_not_configured.');
    lines.push('  To see the whole flow without a provider account, stop this and run: npm run demo');
  } else {
    lines.push(`Rebuttal is running. Enabled: ${enabled.map((s) => `${s.provider} (${s.submits ? 'webhooks and submissions' : 'webhooks; submissions need ' + s.toSubmit})`).join(', ')}.`);
  }
  for (const s of setups.filter((x) => !x.receives)) lines.push(`  To enable ${s.provider}: set ${s.toReceive}${s.submits ? '' : `, and ${s.toSubmit} to submit evidence`}.`);
  const channels = configuredChannels(config.channels).map((c) => c.name);
  lines.push(
    channels.length
      ? `  Deadline alerts go to: ${channels.join(', ')}; submissions: ${config.submission.mode === 'auto' ? 'automatic' : 'after staff review'}.`
      : '  No alert channel: set SLACK_WEBHOOK_URL, SMTP_URL (with ALERT_EMAIL_FROM, ALERT_EMAIL_TO) or ALERT_WEBHOOK_URL to be warned before deadlines.',
  );
  // PUBLIC_URL's default names port 3000; a local run on another port is reached there instead.
  const dashboard = config.alerts.publicUrl === 'http://localhost:3000' ? `http://localhost:${config.port}` : config.alerts.publicUrl;
  lines.push(`  Dashboard: ${dashboard}/ · \`npx rebuttal doctor\` checks the setup · README "Pointing each provider at Rebuttal".`);
  return lines;
}

/** Prints the guide (outside the JSON logs: it is for a person, like the one-time admin token). */
export function printStartupGuide(config: Config, providers: ProviderRegistry, write: (text: string) => void = (text) => process.stderr.write(text)): void {
  write(`${startupGuide(config, providers).join('\n')}\n`);
}
