import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'rebuttal_session';

/** The cookie value: derived from the admin token, so changing ADMIN_TOKEN signs everyone out; the token itself never leaves. */
export function sessionValue(adminToken: string): string {
  return createHmac('sha256', adminToken).update('rebuttal dashboard session v1').digest('base64url');
}

export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

export function hasSession(req: Request, adminToken: string): boolean {
  const given = Buffer.from(readCookie(req, SESSION_COOKIE) ?? '');
  const expected = Buffer.from(sessionValue(adminToken));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Secure unless the dashboard is reached over plain http on a host other than localhost (browsers
 * treat localhost as secure; anywhere else, put Rebuttal behind TLS).
 */
function secure(req: Request): boolean {
  return req.protocol === 'https' || ['localhost', '127.0.0.1', '[::1]'].includes(req.hostname);
}

export function startSession(req: Request, res: Response, adminToken: string): void {
  res.cookie(SESSION_COOKIE, sessionValue(adminToken), { httpOnly: true, sameSite: 'strict', secure: secure(req), path: '/', maxAge: 12 * 3600_000 });
}

export function endSession(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: secure(req), path: '/' });
}

/** A cookie-authenticated change must come from our own pages: same origin, or the browser's word for it. */
export function sameOrigin(req: Request): boolean {
  const origin = req.get('origin') ?? req.get('referer');
  if (!origin) return req.get('sec-fetch-site') === 'same-origin';
  try {
    return new URL(origin).host === req.get('host');
  } catch {
    return false;
  }
}
