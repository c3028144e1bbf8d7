// Browser sessions: the staff JWT the API hands out, kept in an HttpOnly, SameSite=Strict cookie
// (Secure over https). Pages read it; the API never does (bearer tokens only), so a cookie alone
// can never call /api/v1.
//
// Cookies go along with every request the browser makes to us, so each state-changing form also
// carries a token the page put there: the HMAC of the session token under the server secret. A
// page on another site can neither read that value nor compute it. The login form, before there
// is a session, is tied the same way to a random cookie set when the form is shown.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Deps } from '../core/deps';
import { AppError, forbidden } from '../core/errors';
import { verifyToken } from '../auth/jwt';
import { assertCurrent } from '../auth/auth.service';
import type { Principal } from '../auth/principal';

export const SESSION_COOKIE = 'eret_sesi';
export const LOGIN_COOKIE = 'eret_masuk';
export const CSRF_FIELD = '_csrf';

const SESSION = Symbol('page-session');

export interface PageSession {
  principal: Principal;
  token: string;
  /** The value every form of this session carries in CSRF_FIELD. */
  csrf: string;
}

export function cookies(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const name = part.slice(0, i).trim();
    if (!name || name in out) continue;
    try {
      out[name] = decodeURIComponent(part.slice(i + 1).trim());
    } catch {
      // a value we did not write; ignore it
    }
  }
  return out;
}

function cookieLine(req: Request, name: string, value: string, maxAgeSeconds: number): string {
  const parts = [
    `${name}=${encodeURIComponent(value)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${maxAgeSeconds}`,
  ];
  // Behind a TLS-terminating proxy req.secure follows X-Forwarded-Proto (trust proxy is on).
  if (req.secure) parts.push('Secure');
  return parts.join('; ');
}

function setCookie(req: Request, res: Response, name: string, value: string, maxAgeSeconds: number): void {
  res.append('Set-Cookie', cookieLine(req, name, value, maxAgeSeconds));
}

export function clearCookie(req: Request, res: Response, name: string): void {
  setCookie(req, res, name, '', 0);
}

const mac = (secret: string, purpose: string, value: string) =>
  createHmac('sha256', secret).update(`${purpose}\0${value}`).digest('base64url');

function sameMac(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function startSession(deps: Deps, req: Request, res: Response, token: string): void {
  setCookie(req, res, SESSION_COOKIE, token, deps.config.STAFF_TOKEN_TTL_SECONDS);
  clearCookie(req, res, LOGIN_COOKIE);
}

/** The login form's token, with the cookie it is tied to (a new one when there is none). */
export function loginCsrf(deps: Deps, req: Request, res: Response): string {
  let nonce = cookies(req)[LOGIN_COOKIE];
  if (!nonce || !/^[A-Za-z0-9_-]{22}$/.test(nonce)) {
    nonce = randomBytes(16).toString('base64url');
    setCookie(req, res, LOGIN_COOKIE, nonce, 3600);
  }
  return mac(deps.config.JWT_SECRET, 'login', nonce);
}

export function loginCsrfValid(deps: Deps, req: Request): boolean {
  const nonce = cookies(req)[LOGIN_COOKIE];
  const sent = (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
  return !!nonce && typeof sent === 'string' && sameMac(sent, mac(deps.config.JWT_SECRET, 'login', nonce));
}

/** Where to go after logging in: only a path on this site. */
export function safeNext(next: unknown): string | undefined {
  return typeof next === 'string' && /^\/(?![/\\])[^\s]*$/.test(next) && !next.startsWith('/login') ? next : undefined;
}

/** Pages need a session: without one (or with an expired or revoked one) the browser is sent to log in. */
export function requireSession(deps: Deps): RequestHandler {
  return async (req, res, next) => {
    const token = cookies(req)[SESSION_COOKIE];
    let principal: Principal | undefined;
    if (token) {
      try {
        principal = verifyToken(deps.config.JWT_SECRET, token, deps.clock.now().getTime());
        // Switched off, or the password changed since: the session ends (one read by primary key).
        if (principal.role !== 'terminal') await assertCurrent(deps, principal);
      } catch (err) {
        principal = undefined;
        if (!(err instanceof AppError)) throw err;
        clearCookie(req, res, SESSION_COOKIE);
      }
    }
    // A terminal's token is not a person's session.
    if (!token || !principal || principal.role === 'terminal') {
      const back = req.method === 'GET' ? `?lanjut=${encodeURIComponent(req.originalUrl)}` : '';
      res.redirect(303, `/login${back}`);
      return;
    }
    const session: PageSession = { principal, token, csrf: mac(deps.config.JWT_SECRET, 'csrf', token) };
    (req as unknown as Record<symbol, PageSession>)[SESSION] = session;
    next();
  };
}

/** Every POST of a page: the form must carry this session's token. */
export const requireCsrf: RequestHandler = (req, _res, next) => {
  const session = sessionOf(req);
  const sent = (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
  if (typeof sent !== 'string' || !sameMac(sent, session.csrf)) {
    throw forbidden('formulir ini tidak sah atau sudah kedaluwarsa (token CSRF); muat ulang halaman lalu coba lagi');
  }
  next();
};

export function sessionOf(req: Request): PageSession {
  const s = (req as unknown as Record<symbol, PageSession | undefined>)[SESSION];
  if (!s) throw new Error('page session middleware not run');
  return s;
}
