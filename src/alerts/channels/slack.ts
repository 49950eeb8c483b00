import { optionalHttpUrl } from '../../env';
import { postJson, type AlertChannel, type AlertChannelModule } from './types';

/** A Slack incoming webhook: Block Kit with the facts and a button to the dispute. */
function slackChannel({ webhookUrl }: { webhookUrl: string }): AlertChannel {
  return {
    name: 'slack',
    async send(message) {
      const body = {
        text: message.subject,
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: message.subject.slice(0, 150) } },
          { type: 'section', text: { type: 'mrkdwn', text: message.lines.slice(0, -1).join('\n') } },
          { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open the dispute' }, url: message.link, style: 'primary' }] },
        ],
      };
      await postJson(webhookUrl, JSON.stringify(body));
    },
  };
}

export const slackModule: AlertChannelModule<{ webhookUrl: string }> = {
  name: 'slack',
  env: { SLACK_WEBHOOK_URL: optionalHttpUrl },
  settings: (env) => (env.SLACK_WEBHOOK_URL ? { webhookUrl: env.SLACK_WEBHOOK_URL as string } : undefined),
  secretSettings: ['webhookUrl'],
  create: slackChannel,
};
