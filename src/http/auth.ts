import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { hasSession, isCrossSiteChange } from './dashboard/session';

function sameToken(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * `Authorization: Bearer $ADMIN_TOKEN` (constant-time), or the dashboard's session cookie; a
 * change made with the cookie must come from the same origin (403). 401 otherwise.
 */
export function requireAdmin(adminToken: string): RequestHandler {
  return (req, res, next) => {
    const match = /^Bearer (.+)$/.exec(req.get('authorization') ?? '');
    if (match && sameToken(adminToken, match[1]!)) return next();
    if (hasSession(req, adminToken)) {
      if (!isCrossSiteChange(req)) return next();
      res.status(403).json({ error: 'cross_origin_request' });
      return;
    }
    res.status(401).set('www-authenticate', 'Bearer').json({ error: 'unauthorized' });
  };
}
