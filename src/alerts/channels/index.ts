import { emailModule } from './email';
import { slackModule } from './slack';
import type { AlertChannel, AlertChannelModule } from './types';
import { webhookModule } from './webhook';

/** Every way of telling staff. Adding a channel: a file beside this one and a line here. */
export const ALERT_CHANNEL_MODULES: readonly AlertChannelModule[] = [emailModule, slackModule, webhookModule];

export const CHANNEL_NAMES: readonly string[] = ALERT_CHANNEL_MODULES.map((m) => m.name);

/** Every channel whose settings are present (`config.channels`). */
export function configuredChannels(settings: Readonly<Record<string, unknown>>, modules = ALERT_CHANNEL_MODULES): AlertChannel[] {
  return modules.flatMap((m) => (settings[m.name] === undefined ? [] : [m.create(settings[m.name])]));
}

/** Log paths that may hold a channel's secret. */
export function channelRedactPaths(modules = ALERT_CHANNEL_MODULES): string[] {
  return modules.flatMap((m) => m.secretSettings.map((key) => `*.${key}`));
}
