import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Paths that may hold secrets if a caller ever logs a request or a config object by mistake.
 * Code logs ids, never bodies; this is the second line of defence.
 */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["stripe-signature"]',
  'req.headers["paypal-transmission-sig"]',
  'req.headers["x-square-hmacsha256-signature"]',
  'req.headers["x-square-signature"]',
  'headers.authorization',
  'headers["stripe-signature"]',
  'headers["paypal-transmission-sig"]',
  'headers["x-square-hmacsha256-signature"]',
  '*.secret',
  '*.secrets',
  '*.token',
  '*.password',
  '*.webhookSecrets',
  '*.signatureKeys',
  '*.secretKey',
  '*.accessToken',
  '*.clientSecret',
  '*.adminToken',
  '*.webhookSecret',
  // Evidence sources (src/sources/<name>/index.ts `secrets`)
  '*.apiToken',
  '*.apiKey',
  '*.consumerKey',
  '*.consumerSecret',
];

/** 13–19 digits, optionally grouped by spaces or dashes, that pass the Luhn check. */
const CARD_CANDIDATE = /\b\d(?:[ -]?\d){12,18}\b/g;

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Replaces anything that looks like a card number with its last four digits. */
export function maskCardNumbers(text: string): string {
  return text.replace(CARD_CANDIDATE, (match) => {
    const digits = match.replace(/\D/g, '');
    return luhnValid(digits) ? `•••• ${digits.slice(-4)}` : match;
  });
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT, censor: '[redacted]' },
      base: { service: 'rebuttal' },
      hooks: {
        logMethod(args, method) {
          // Card numbers can hide in any error message that quotes a payload.
          method.apply(
            this,
            args.map((a) => (typeof a === 'string' ? maskCardNumbers(a) : a)) as Parameters<typeof method>,
          );
        },
      },
      serializers: {
        err(err: Error) {
          const serialized = pino.stdSerializers.err(err);
          return { ...serialized, message: maskCardNumbers(serialized.message), stack: serialized.stack && maskCardNumbers(serialized.stack) };
        },
      },
    },
    destination ?? stdoutBuffered(),
  );
}

/**
 * Log lines leave in batches, not one write system call each: on the webhook path a synchronous
 * write per request cost more than verifying the signature. pino flushes the buffer on exit.
 */
function stdoutBuffered(): DestinationStream {
  return pino.destination({ dest: 1, sync: false, minLength: 4096 });
}
