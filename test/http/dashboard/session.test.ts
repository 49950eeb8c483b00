import { cookieIsSecure, readCookie, safeReturnPath, sameOrigin, sessionValue } from '../../../src/http/dashboard/session';

describe('the dashboard session', () => {
  it('is a value derived from the admin token, never the token, and changes with it', () => {
    expect(sessionValue('token-a')).not.toContain('token-a');
    expect(sessionValue('token-a')).toBe(sessionValue('token-a'));
    expect(sessionValue('token-a')).not.toBe(sessionValue('token-b'));
  });

  it('is a Secure cookie except over plain http to the machine itself', () => {
    expect(cookieIsSecure('http', 'localhost')).toBe(false);
    expect(cookieIsSecure('http', '127.0.0.1')).toBe(false);
    expect(cookieIsSecure('http', '[::1]')).toBe(false);
    expect(cookieIsSecure('https', 'localhost')).toBe(true);
    expect(cookieIsSecure('http', 'rebuttal.example.com')).toBe(true);
    expect(cookieIsSecure('http', '192.168.1.20')).toBe(true);
  });

  it('reads one cookie among several, and nothing from a malformed one', () => {
    expect(readCookie('a=1; rebuttal_session=abc%2D; b=2', 'rebuttal_session')).toBe('abc-');
    expect(readCookie('rebuttal_session=%E0%A4%A', 'rebuttal_session')).toBeUndefined();
    expect(readCookie(undefined, 'rebuttal_session')).toBeUndefined();
  });
});

describe('same-origin proof of a cookie-authenticated change', () => {
  const host = 'rebuttal.example.com';

  it('takes an Origin or Referer naming this host', () => {
    expect(sameOrigin({ origin: 'https://rebuttal.example.com', host })).toBe(true);
    expect(sameOrigin({ referer: 'https://rebuttal.example.com/disputes/1/confirm', host })).toBe(true);
  });

  it('refuses another host, a null origin, or no proof at all', () => {
    expect(sameOrigin({ origin: 'https://evil.example.com', host })).toBe(false);
    expect(sameOrigin({ origin: 'https://rebuttal.example.com.evil.example', host })).toBe(false);
    expect(sameOrigin({ origin: 'null', host })).toBe(false);
    expect(sameOrigin({ host })).toBe(false);
    expect(sameOrigin({ secFetchSite: 'same-site', host })).toBe(false);
  });

  it('trusts the browser saying same-origin when it sends neither header', () => {
    expect(sameOrigin({ secFetchSite: 'same-origin', host })).toBe(true);
  });
});

describe('where to go after signing in', () => {
  it('keeps a path on this site, with its query', () => {
    expect(safeReturnPath('/disputes/7e07528b-3cfa-4c61-9a29-ce169991fe30')).toBe('/disputes/7e07528b-3cfa-4c61-9a29-ce169991fe30');
    expect(safeReturnPath('/?status=needs_response&dueWithin=24h')).toBe('/?status=needs_response&dueWithin=24h');
  });

  it('sends anything else to the disputes list', () => {
    for (const next of ['//evil.example.com/', '/\\evil.example.com', 'https://evil.example.com/', 'javascript:alert(1)', '/login', '/ x', '', undefined, ['/a']]) {
      expect(safeReturnPath(next)).toBe('/');
    }
  });
});
