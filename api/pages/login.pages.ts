// Logging in and out in a browser. The check is the API's own (loginStaff: same users, same
// password hashing, same token); the token then lives in the session cookie instead of a header.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Deps } from '../core/deps';
import { text } from '../core/text';
import { AppError } from '../core/errors';
import { assertCurrent, loginStaff } from '../auth/auth.service';
import { verifyToken } from '../auth/jwt';
import { clientAddress } from '../auth/login-limiter.middleware';
import { TooManyAttempts } from '../auth/login-limiter.service';
import type { Role } from '../auth/principal';
import { html } from './html';
import { plainPage } from './layout';
import { parsedOrUndefined } from './page-errors.middleware';
import {
  clearCookie,
  cookies,
  CSRF_FIELD,
  loginCsrf,
  loginCsrfValid,
  requireCsrf,
  requireSession,
  safeNext,
  SESSION_COOKIE,
  startSession,
} from './session.middleware';

const loginForm = z
  .object({
    username: text().max(40),
    password: text('secret').max(200),
    [CSRF_FIELD]: z.string().optional(),
    lanjut: z.string().max(2000).optional(),
  })
  .strict();

const PAGE_ROLES: Role[] = ['admin', 'officer', 'manager', 'auditor', 'feed'];

export const homeOf = (role: Role) =>
  role === 'manager' ? '/kelola' : role === 'feed' ? '/pusat-komando' : '/rekonsiliasi';

function loginPage(
  deps: Deps,
  req: Request,
  res: Response,
  o: { error?: string; username?: string; next?: string } = {},
): string {
  const token = loginCsrf(deps, req, res);
  return plainPage(
    'Masuk',
    html`<div class="login"><h1>e-Retribusi Pasar</h1><p class="sub">Masuk untuk petugas Bapenda, kepala pasar, auditor, administrator dan pusat komando.</p>
${o.error ? html`<p class="note bad" role="alert" id="login-error">${o.error}</p>` : ''}
<form method="post" action="/login" class="stack"><input type="hidden" name="${CSRF_FIELD}" value="${token}">
${o.next ? html`<input type="hidden" name="lanjut" value="${o.next}">` : ''}
<div><label for="username">Nama pengguna</label><input id="username" name="username" autocomplete="username" autocapitalize="none" required value="${o.username ?? ''}"></div>
<div><label for="password">Kata sandi</label><input id="password" name="password" type="password" autocomplete="current-password" required></div>
<button type="submit">Masuk</button></form>
<p class="muted">Pedagang: pindai stiker QR di los Anda untuk melihat tagihan.</p></div>`,
  );
}

/** The role of a still-valid session cookie of a current account, if any. */
async function sessionRole(deps: Deps, req: Request): Promise<Role | undefined> {
  const token = cookies(req)[SESSION_COOKIE];
  if (!token) return undefined;
  try {
    const p = verifyToken(deps.config.JWT_SECRET, token, deps.clock.now().getTime());
    if (!PAGE_ROLES.includes(p.role)) return undefined;
    await assertCurrent(deps, p);
    return p.role;
  } catch (err) {
    if (err instanceof AppError) return undefined;
    throw err;
  }
}

export function loginPages(deps: Deps): Router {
  const r = Router();

  r.get('/', async (req, res) => {
    const role = await sessionRole(deps, req);
    res.redirect(303, role && PAGE_ROLES.includes(role) ? homeOf(role) : '/login');
  });

  r.get('/login', async (req, res) => {
    const role = await sessionRole(deps, req);
    const next = safeNext(req.query.lanjut);
    if (role && PAGE_ROLES.includes(role)) return void res.redirect(303, next ?? homeOf(role));
    res.type('html').send(loginPage(deps, req, res, { next }));
  });

  r.post('/login', async (req, res) => {
    const form = parsedOrUndefined(loginForm, req.body);
    const next = form ? safeNext(form.lanjut) : undefined;
    const again = (status: number, error: string) =>
      void res
        .status(status)
        .type('html')
        .send(loginPage(deps, req, res, { error, username: form?.username, next }));
    if (!loginCsrfValid(deps, req)) return again(403, 'Formulir masuk sudah kedaluwarsa. Silakan coba lagi.');
    if (!form?.username || !form.password) return again(400, 'Isi nama pengguna dan kata sandi.');
    let signed: Awaited<ReturnType<typeof loginStaff>>;
    try {
      signed = await loginStaff(deps, form.username, form.password, clientAddress(req));
    } catch (err) {
      if (err instanceof AppError && err.status === 401) return again(401, 'Nama pengguna atau kata sandi salah.');
      if (err instanceof TooManyAttempts) {
        res.set('Retry-After', String(err.retryAfterSeconds));
        return again(
          429,
          `Terlalu banyak percobaan masuk. Coba lagi dalam ${Math.ceil(err.retryAfterSeconds / 60)} menit.`,
        );
      }
      throw err;
    }
    if (!PAGE_ROLES.includes(signed.role))
      return again(403, 'Akun ini tidak memakai halaman web; petugas pemungut bekerja dengan terminal.');
    startSession(deps, req, res, signed.token);
    res.redirect(303, next ?? homeOf(signed.role));
  });

  r.post('/logout', requireSession(deps), requireCsrf, (req, res) => {
    clearCookie(req, res, SESSION_COOKIE);
    res.redirect(303, '/login');
  });
  return r;
}
