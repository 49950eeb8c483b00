import { createHmac, timingSafeEqual } from 'node:crypto';

export function hmacSha256(key: string, data: Buffer | string, encoding: 'hex' | 'base64'): string {
  return createHmac('sha256', key).update(data).digest(encoding);
}

/** Constant-time comparison of two signature strings of any length. */
export function sameSignature(expected: string, received: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(received);
  return a.length === b.length && timingSafeEqual(a, b);
}
