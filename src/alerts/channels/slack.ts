import type { AlertChannel } from './types';
import { postJson } from './types';

/** A Slack incoming webhook: Block Kit with the facts and a button to the dispute. */
export function slackChannel(webhookUrl: string): AlertChannel {
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
