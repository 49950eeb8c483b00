import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Paths that may hold secrets if a caller ever logs a request or a config object by mistake.
 * Code logs ids, never bodies; this is the second line of defence.
 */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  '*.secret',
  '*.secrets',
  '*.token',
  '*.password',
  '*.adminToken',
  // Evidence sources' credentials (src/sources/<name>/index.ts `secrets`)
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

const CENSOR = '[redacted]';

/**
 * Censors the values of secret-named keys one level down (`*.name`). pino's own redaction of a
 * wildcard path clones and re-serialises every top-level value of every line (12 µs for the
 * webhook's log line, 5 µs without it); this looks inside object values only.
 */
export function censorSecretKeys(object: Record<string, unknown>, names: ReadonlySet<string>): Record<string, unknown> {
  let censored: Record<string, unknown> | undefined;
  for (const key in object) {
    const value = object[key];
    if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Error) continue;
    let inner: Record<string, unknown> | undefined;
    for (const name in value) {
      if (!names.has(name)) continue;
      inner ??= { ...(value as Record<string, unknown>) };
      inner[name] = CENSOR;
    }
    if (inner) (censored ??= { ...object })[key] = inner;
  }
  return censored ?? object;
}

/** `secretPaths`: what the registered modules add (their signature headers and secret settings; runtime.ts). */
export function createLogger(level: string, destination?: DestinationStream, secretPaths: readonly string[] = []): Logger {
  const paths = [...REDACT, ...secretPaths];
  const secretKeys = new Set(paths.filter((p) => p.startsWith('*.')).map((p) => p.slice(2)));
  const logger = pino(
    {
      level,
      redact: { paths: paths.filter((p) => !p.startsWith('*.')), censor: CENSOR },
      base: { service: 'rebuttal' },
      formatters: { log: (object) => censorSecretKeys(object, secretKeys) },
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
  // A child's bindings do not pass through formatters.log; children inherit this from the root.
  const pinoChild = logger.child;
  logger.child = function child(this: Logger, bindings, options) {
    return pinoChild.call(this, censorSecretKeys(bindings, secretKeys), options);
  } as typeof logger.child;
  return logger;
}

/** The longest a written log line may wait in the buffer before it reaches stdout. */
export const LOG_FLUSH_MS = 250;

/**
 * Log lines leave in batches, not one write system call each: on the webhook path a synchronous
 * write per request cost more than verifying the signature. A buffer that never fills (a quiet
 * service) is flushed every LOG_FLUSH_MS, so an operator watching the logs sees a line within a
 * second; pino flushes what is left synchronously on exit, a crash included.
 */
function stdoutBuffered(): DestinationStream {
  const destination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  const timer = setInterval(() => {
    try {
      destination.flush();
    } catch {
      // Not yet open, or stdout closed: the next tick or the exit flush will try again.
    }
  }, LOG_FLUSH_MS);
  timer.unref();
  destination.on('close', () => clearInterval(timer));
  return destination;
}
