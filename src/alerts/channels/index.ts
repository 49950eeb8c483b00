import type { Config } from '../../config';
import { emailChannel } from './email';
import { slackChannel } from './slack';
import type { AlertChannel } from './types';
import { webhookChannel } from './webhook';

/** Every channel whose settings are present. Adding a channel: a file beside this one and a line here. */
export function configuredChannels(settings: Config['alerts']): AlertChannel[] {
  const channels: AlertChannel[] = [];
  if (settings.smtpUrl && settings.emailFrom) channels.push(emailChannel({ smtpUrl: settings.smtpUrl, from: settings.emailFrom, to: settings.emailTo }));
  if (settings.slackWebhookUrl) channels.push(slackChannel(settings.slackWebhookUrl));
  if (settings.webhookUrl && settings.webhookSecret) channels.push(webhookChannel({ url: settings.webhookUrl, secret: settings.webhookSecret }));
  return channels;
}
