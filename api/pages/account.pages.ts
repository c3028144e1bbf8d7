// "Akun": every logged-in staff user sees their account and changes their own password. The
// change is the users service's (changeOwnPassword: the current password checked, attempts
// counted with the login limiter's, the new one by the same rule as an account's first); the
// credential version moves on, which ends every other session and token of the account. This
// session is renewed: its cookie gets a new token at the new version, so the user stays logged in
// here and nowhere else.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Deps } from '../core/deps';
import { AppError } from '../core/errors';
import { parseInput, type FieldProblem } from '../core/schemas';
import { renewStaffToken } from '../auth/auth.service';
import { clientAddress } from '../auth/login-limiter.middleware';
import { TooManyAttempts } from '../auth/login-limiter.service';
import { changeOwnPasswordSchema } from '../users/users.schemas';
import { changeOwnPassword, findUserIn } from '../users/users.service';
import { accountBody } from './account.views';
import { staffPage } from './layout';
import { requireCsrf, sessionOf, startSession } from './session.middleware';
import { viewerOf } from './scope';
import { ROLE_NAME, type FieldMessage } from './staff.views';

const accountQuery = z.object({ diubah: z.literal('1').optional() }).strict();

// Read as typed; the service's schema holds the rules (length, characters).
const passwordForm = z
  .object({
    _csrf: z.string(),
    currentPassword: z.string().max(1000),
    newPassword: z.string().max(1000),
    newPassword2: z.string().max(1000),
  })
  .strict();

const PROBLEM: Record<string, string> = {
  currentPassword: 'Kata sandi saat ini tidak dapat dibaca; ketik ulang.',
  newPassword: 'Kata sandi baru minimal 10 karakter dan paling banyak 200 karakter.',
};

/** What the service or its schema refused, in Indonesian, next to the field it is about. */
function messagesOf(err: unknown): { status: number; errors: FieldMessage[] } | undefined {
  if (err instanceof TooManyAttempts)
    return {
      status: 429,
      errors: [
        {
          field: 'form',
          message: `Terlalu banyak percobaan. Coba lagi dalam ${Math.ceil(err.retryAfterSeconds / 60)} menit.`,
        },
      ],
    };
  if (!(err instanceof AppError)) return undefined;
  switch (err.code) {
    case 'invalid-input': {
      const problems = (Array.isArray(err.details) ? err.details : []) as FieldProblem[];
      const errors = problems
        .filter((p) => p.field in PROBLEM)
        .map((p) => ({ field: p.field, message: PROBLEM[p.field] }));
      return errors.length ? { status: 400, errors } : undefined;
    }
    case 'wrong-current-password':
      return { status: 422, errors: [{ field: 'currentPassword', message: 'Kata sandi saat ini salah.' }] };
    case 'same-password':
      return {
        status: 422,
        errors: [{ field: 'newPassword', message: 'Kata sandi baru harus berbeda dari kata sandi saat ini.' }],
      };
    case 'credentials-changed':
      return {
        status: 409,
        errors: [{ field: 'form', message: 'Akun Anda baru saja berubah. Muat ulang halaman lalu coba lagi.' }],
      };
    default:
      return undefined;
  }
}

async function render(
  deps: Deps,
  req: Request,
  res: Response,
  o: { changed?: boolean; errors?: FieldMessage[]; status?: number },
): Promise<void> {
  const s = sessionOf(req);
  const u = await findUserIn(deps.knex, s.principal.sub);
  const viewer = await viewerOf(deps, s.principal, s.csrf);
  const body = accountBody({
    csrf: s.csrf,
    username: u?.username ?? '',
    displayName: u?.display_name ?? viewer.displayName,
    roleName: ROLE_NAME[s.principal.role as keyof typeof ROLE_NAME] ?? s.principal.role,
    scopeName: viewer.scopeName,
    changed: !!o.changed,
    errors: o.errors ?? [],
  });
  res
    .status(o.status ?? 200)
    .type('html')
    .send(staffPage(viewer, { title: 'Akun', path: '/akun', body }));
}

export function accountPages(deps: Deps): Router {
  const r = Router();

  r.get('/akun', async (req, res) => {
    const q = parseInput(accountQuery, req.query);
    await render(deps, req, res, { changed: q.diubah === '1' });
  });

  r.post('/akun/kata-sandi', requireCsrf, async (req, res) => {
    const f = parseInput(passwordForm, req.body);
    const again = (status: number, errors: FieldMessage[]) => render(deps, req, res, { status, errors });
    const missing: FieldMessage[] = [];
    if (!f.currentPassword) missing.push({ field: 'currentPassword', message: 'Isi kata sandi Anda saat ini.' });
    if (!f.newPassword) missing.push({ field: 'newPassword', message: 'Isi kata sandi baru.' });
    else if (f.newPassword !== f.newPassword2)
      missing.push({ field: 'newPassword2', message: 'Ulangan kata sandi baru tidak sama dengan kata sandi baru.' });
    if (missing.length) return void (await again(400, missing));
    const p = sessionOf(req).principal;
    let credentialVersion: number;
    try {
      const input = parseInput(changeOwnPasswordSchema, {
        currentPassword: f.currentPassword,
        newPassword: f.newPassword,
      });
      ({ credentialVersion } = await changeOwnPassword(deps, p, input, clientAddress(req)));
    } catch (err) {
      const refused = messagesOf(err);
      if (!refused) throw err;
      if (err instanceof TooManyAttempts) res.set('Retry-After', String(err.retryAfterSeconds));
      return void (await again(refused.status, refused.errors));
    }
    // The old token is dead now (its credential version moved on): this session gets a new one.
    const signed = await renewStaffToken(deps, p, credentialVersion);
    startSession(deps, req, res, signed.token);
    res.redirect(303, '/akun?diubah=1');
  });
  return r;
}
