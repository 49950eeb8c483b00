import nodemailer from 'nodemailer';
import type { AlertChannel } from './types';

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** Email through any SMTP server (SMTP_URL), to ALERT_EMAIL_TO. */
export function emailChannel(settings: { smtpUrl: string; from: string; to: readonly string[] }): AlertChannel {
  const transport = nodemailer.createTransport(settings.smtpUrl);
  return {
    name: 'email',
    async send(message, alertId) {
      await transport.sendMail({
        // The same Message-ID on a repeat lets mail clients fold it into the first.
        messageId: `<alert-${alertId}@rebuttal>`,
        from: settings.from,
        to: [...settings.to],
        subject: message.subject,
        text: message.lines.join('\n'),
        html: `<p>${message.lines.slice(0, -1).map(escape).join('<br>')}</p><p><a href="${escape(message.link)}">Open the dispute</a></p>`,
      });
    },
  };
}
