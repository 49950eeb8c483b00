import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

function sameToken(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `Authorization: Bearer $ADMIN_TOKEN`, compared in constant time; 401 otherwise. */
export function requireAdmin(adminToken: string): RequestHandler {
  return (req, res, next) => {
    const match = /^Bearer (.+)$/.exec(req.get('authorization') ?? '');
    if (match && sameToken(adminToken, match[1]!)) return next();
    res.status(401).set('www-authenticate', 'Bearer').json({ error: 'unauthorized' });
  };
}
