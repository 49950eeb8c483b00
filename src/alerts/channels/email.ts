import nodemailer from 'nodemailer';
import { z } from 'zod';
import { list, optionalText, requireTogether } from '../../env';
import type { AlertChannel, AlertChannelModule } from './types';

interface EmailSettings {
  smtpUrl: string;
  from: string;
  to: readonly string[];
}

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** Email through any SMTP server (SMTP_URL), to ALERT_EMAIL_TO. */
function emailChannel(settings: EmailSettings): AlertChannel {
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

export const emailModule: AlertChannelModule<EmailSettings> = {
  name: 'email',
  env: {
    SMTP_URL: optionalText.pipe(z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// URL' }).optional()),
    ALERT_EMAIL_FROM: optionalText,
    ALERT_EMAIL_TO: list,
  },
  settings(env) {
    const smtpUrl = env.SMTP_URL as string | undefined;
    const from = env.ALERT_EMAIL_FROM as string | undefined;
    const to = env.ALERT_EMAIL_TO as string[];
    requireTogether(!!smtpUrl && (!from || to.length === 0), 'ALERT_EMAIL_TO', 'SMTP_URL needs ALERT_EMAIL_FROM and ALERT_EMAIL_TO');
    return smtpUrl && from ? { smtpUrl, from, to } : undefined;
  },
  secretSettings: ['smtpUrl'],
  create: emailChannel,
};
