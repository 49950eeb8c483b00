import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'rebuttal_session';
const SESSION_HOURS = 12;

/** The cookie value: derived from the admin token, so changing ADMIN_TOKEN signs everyone out; the token itself never leaves. */
export function sessionValue(adminToken: string): string {
  return createHmac('sha256', adminToken).update('rebuttal dashboard session v1').digest('base64url');
}

export function readCookie(cookieHeader: string | undefined, name: string): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key !== name) continue;
    try {
      return decodeURIComponent(rest.join('='));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export function hasSession(req: Request, adminToken: string): boolean {
  const given = Buffer.from(readCookie(req.get('cookie'), SESSION_COOKIE) ?? '');
  const expected = Buffer.from(sessionValue(adminToken));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * Secure, except over plain http to this machine itself (development, where some browsers refuse
 * a Secure cookie from http://localhost). Behind a TLS proxy the request arrives as http but for a
 * public host name, so the cookie stays Secure; plain http to any other host gets a Secure cookie
 * that the browser drops, and the login page says why.
 */
export function cookieIsSecure(protocol: string, hostname: string): boolean {
  return !(protocol === 'http' && LOOPBACK_HOSTS.has(hostname.toLowerCase()));
}

function cookieOptions(req: Request) {
  return { httpOnly: true, sameSite: 'strict', secure: cookieIsSecure(req.protocol, req.hostname), path: '/' } as const;
}

export function startSession(req: Request, res: Response, adminToken: string): void {
  res.cookie(SESSION_COOKIE, sessionValue(adminToken), { ...cookieOptions(req), maxAge: SESSION_HOURS * 3_600_000 });
}

export function endSession(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, cookieOptions(req));
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Origin (or Referer) names this host; without either, the browser's Sec-Fetch-Site must say same-origin. */
export function sameOrigin(headers: { origin?: string; referer?: string; secFetchSite?: string; host?: string }): boolean {
  const origin = headers.origin ?? headers.referer;
  if (!origin) return headers.secFetchSite === 'same-origin';
  try {
    return headers.host !== undefined && new URL(origin).host === headers.host;
  } catch {
    return false;
  }
}

/**
 * A cookie-authenticated change (any method but GET/HEAD/OPTIONS) that did not come from our own
 * pages: refused, whatever SameSite already does, because older browsers and same-site subdomains exist.
 */
export function isCrossSiteChange(req: Request): boolean {
  if (SAFE_METHODS.has(req.method)) return false;
  return !sameOrigin({ origin: req.get('origin'), referer: req.get('referer'), secFetchSite: req.get('sec-fetch-site'), host: req.get('host') });
}

/** Where to go after signing in: a path on this site only (never `//host` or `/\host`), else the list. */
export function safeReturnPath(next: unknown): string {
  if (typeof next !== 'string' || next.length > 500) return '/';
  return /^\/(?![/\\])[^\\\s]*$/.test(next) && !next.startsWith('/login') ? next : '/';
}
