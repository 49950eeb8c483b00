import { randomInt } from 'node:crypto';
import type { JsonObject } from './types';

/** Helpers the providers' replay support shares: ids shaped like theirs, times moved. */

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const UPPER_ALPHANUMERIC = ALPHANUMERIC.slice(0, 36);

export const randomText = (length: number, alphabet = ALPHANUMERIC) => Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');

export const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** PayPal and Square write times as RFC 3339 strings. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function shiftRfc3339(text: string, offsetMs: number): string {
  const shifted = new Date(Date.parse(text) + offsetMs).toISOString();
  return /\.\d+/.test(text) ? shifted : shifted.replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Every time in the value moved by the same offset, keeping its format: RFC 3339 strings, and
 * unix seconds under the keys named (Stripe's `created`, `due_by`…). Nothing else changes.
 */
export function shiftTimes(value: unknown, offsetMs: number, unixSecondKeys: ReadonlySet<string> = new Set(), key?: string): unknown {
  if (Array.isArray(value)) return value.map((item) => shiftTimes(item, offsetMs, unixSecondKeys));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shiftTimes(v, offsetMs, unixSecondKeys, k)]));
  if (typeof value === 'number' && key && unixSecondKeys.has(key)) return value + Math.round(offsetMs / 1000);
  return typeof value === 'string' && RFC3339.test(value) ? shiftRfc3339(value, offsetMs) : value;
}

export const rfc3339Time = (value: unknown): number => (typeof value === 'string' ? Date.parse(value) : NaN);
