// "Pengguna": staff and feed accounts, for the admin (every region) and officers (the manager,
// collector and feed accounts of their own region, as the users API allows). A list with role,
// market and status; a form that makes an account with a typed or a generated first password
// (shown once); an account's page to reset its password or switch it off and on. Every refusal
// is Indonesian, next to the field; a password is never put back into a form.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Deps } from '../core/deps';
import { AppError } from '../core/errors';
import { id, parseInput, type FieldProblem } from '../core/schemas';
import type { Html } from './html';
import { staffPage } from './layout';
import { requireCsrf, sessionOf } from './session.middleware';
import { viewerOf } from './scope';
import {
  assertStaffManager,
  createStaff,
  mayManage,
  manageable,
  PAGE_SIZE,
  placesFor,
  resetPassword,
  rolesManagedBy,
  setActive,
  STAFF_ROLES,
  type StaffRole,
  staffList,
} from './staff.service';
import {
  createdBody,
  detailBody,
  type FieldMessage,
  listBody,
  newBody,
  resetDoneBody,
  ROLE_SLUG,
  roleOfSlug,
} from './staff.views';

const blankIsAbsent = (v: unknown) => (v === '' ? undefined : v);
const opt = <T extends z.ZodType>(t: T) => z.preprocess(blankIsAbsent, t.optional());
const slug = z.enum(Object.values(ROLE_SLUG) as [string, ...string[]], 'peran tidak dikenal');

const listQuery = z
  .object({
    peran: opt(slug),
    regionId: opt(id),
    offset: opt(z.coerce.number().int().min(0).max(1_000_000)),
  })
  .strict();
const newQuery = z.object({ peran: opt(slug) }).strict();
const userParams = z.object({ id }).strict();
const detailQuery = z.object({ disimpan: opt(z.enum(['aktif', 'nonaktif'])) }).strict();

// Read as typed; the users API's schema holds the rules and its messages become Indonesian below.
const createForm = z
  .object({
    _csrf: z.string(),
    role: z.string().max(40),
    username: z.string().max(200),
    displayName: z.string().max(500),
    marketId: opt(z.string().max(100)),
    regionId: opt(z.string().max(100)),
    password: z.string().max(1000).optional(),
  })
  .strict();
const resetForm = z.object({ _csrf: z.string(), password: z.string().max(1000).optional() }).strict();
const statusForm = z.object({ _csrf: z.string(), aktif: z.enum(['ya', 'tidak']) }).strict();

/** The users schema's problems, one Indonesian line per field. */
function problemMessage(p: FieldProblem): FieldMessage {
  const required = p.message.startsWith('required');
  const notAllowed = p.message.startsWith('not allowed');
  switch (p.field) {
    case 'username':
      return {
        field: p.field,
        message: 'Nama pengguna 3–40 karakter: huruf kecil a–z, angka, titik, garis bawah atau tanda hubung.',
      };
    case 'displayName':
      return { field: p.field, message: 'Isi nama lengkap (paling banyak 120 karakter).' };
    case 'password':
      return { field: p.field, message: 'Kata sandi minimal 10 karakter dan paling banyak 200 karakter.' };
    case 'role':
      return { field: p.field, message: 'Pilih peran dari daftar.' };
    case 'marketId':
      return {
        field: p.field,
        message: required
          ? 'Pilih pasar untuk peran ini.'
          : notAllowed
            ? 'Peran ini tidak terikat pada pasar; pilih "tanpa pasar".'
            : 'Pilih pasar dari daftar.',
      };
    case 'regionId':
      return {
        field: p.field,
        message: required
          ? 'Pilih wilayah (atau pasar) untuk peran ini.'
          : notAllowed
            ? 'Administrator tidak terikat pada wilayah; pilih "tanpa wilayah".'
            : 'Pilih wilayah dari daftar.',
      };
    default:
      return { field: 'form', message: 'Isian tidak dapat dibaca; periksa lagi lalu kirim ulang.' };
  }
}

const REFUSALS: Record<string, FieldMessage> = {
  'duplicate-username': { field: 'username', message: 'Nama pengguna ini sudah dipakai; pilih yang lain.' },
  'unknown-region': { field: 'regionId', message: 'Wilayah ini tidak ada.' },
  'unknown-market': { field: 'marketId', message: 'Pasar ini tidak ada.' },
  'market-outside-region': { field: 'marketId', message: 'Pasar ini tidak berada di wilayah yang dipilih.' },
  'cannot-deactivate-self': { field: 'form', message: 'Anda tidak dapat menonaktifkan akun Anda sendiri.' },
};

/** A refusal a form can show (bad input, a taken username, a scope that does not fit), or undefined. */
function refusalOf(err: unknown): { status: number; errors: FieldMessage[] } | undefined {
  if (!(err instanceof AppError)) return undefined;
  if (err.code === 'invalid-input' && Array.isArray(err.details)) {
    const seen = new Set<string>();
    const errors = (err.details as FieldProblem[]).map(problemMessage).filter((m) => {
      if (seen.has(m.field)) return false;
      seen.add(m.field);
      return true;
    });
    return { status: 400, errors };
  }
  const known = REFUSALS[err.code];
  return known ? { status: err.status, errors: [known] } : undefined;
}

async function send(deps: Deps, req: Request, res: Response, title: string, body: Html, status = 200) {
  const s = sessionOf(req);
  res
    .status(status)
    .type('html')
    .send(staffPage(await viewerOf(deps, s.principal, s.csrf), { title, path: req.path, body }));
}

const asRole = (v: string): StaffRole | undefined => STAFF_ROLES.find((r) => r === v);

export function staffPages(deps: Deps): Router {
  const r = Router();

  r.get('/pengguna', async (req, res) => {
    const q = parseInput(listQuery, req.query);
    const p = sessionOf(req).principal;
    const role = roleOfSlug(q.peran);
    const list = await staffList(deps, p, { role, regionId: q.regionId, offset: q.offset ?? 0 });
    const places = await placesFor(deps, p);
    const body = listBody({
      isAdmin: p.role === 'admin',
      regionName: places.regions.find((x) => x.id === p.regionId)?.name,
      places,
      items: list.items,
      total: list.total,
      offset: list.offset,
      limit: PAGE_SIZE,
      role,
      regionId: q.regionId,
      viewerId: p.sub,
      canManage: (u) => mayManage(p, u.role, u.regionId),
    });
    await send(deps, req, res, 'Pengguna', body);
  });

  const newPage = async (
    req: Request,
    res: Response,
    values: Parameters<typeof newBody>[0]['values'],
    errors: FieldMessage[] = [],
    status = 200,
  ) => {
    const s = sessionOf(req);
    const body = newBody({
      csrf: s.csrf,
      isAdmin: s.principal.role === 'admin',
      roles: rolesManagedBy(s.principal),
      places: await placesFor(deps, s.principal),
      values,
      errors,
    });
    await send(deps, req, res, 'Tambah pengguna', body, status);
  };

  r.get('/pengguna/baru', async (req, res) => {
    const q = parseInput(newQuery, req.query);
    assertStaffManager(sessionOf(req).principal);
    await newPage(req, res, { role: roleOfSlug(q.peran) });
  });

  r.post('/pengguna/baru', requireCsrf, async (req, res) => {
    const f = parseInput(createForm, req.body);
    const p = sessionOf(req).principal;
    assertStaffManager(p);
    // What was typed comes back, except the password.
    const values = {
      role: asRole(f.role),
      username: f.username,
      displayName: f.displayName,
      marketId: f.marketId,
      regionId: f.regionId,
    };
    const role = asRole(f.role);
    if (!role) return void (await newPage(req, res, values, [problemMessage({ field: 'role', message: '' })], 400));
    try {
      const created = await createStaff(deps, p, {
        role,
        username: f.username,
        displayName: f.displayName,
        marketId: f.marketId,
        regionId: f.regionId,
        password: f.password,
      });
      // Not a redirect: a generated password is on this answer only (no-store), never in a URL.
      await send(deps, req, res, 'Akun dibuat', createdBody(await placesFor(deps, p), created), 201);
    } catch (err) {
      const refused = refusalOf(err);
      if (!refused) throw err;
      await newPage(req, res, values, refused.errors, refused.status);
    }
  });

  const detailPage = async (
    req: Request,
    res: Response,
    userId: string,
    o: { saved?: string; errors?: FieldMessage[]; status?: number } = {},
  ) => {
    const s = sessionOf(req);
    const user = await manageable(deps, s.principal, userId);
    const body = detailBody({
      csrf: s.csrf,
      places: await placesFor(deps, s.principal),
      user,
      saved: o.saved,
      errors: o.errors ?? [],
    });
    await send(deps, req, res, `Akun ${user.username}`, body, o.status);
  };

  r.get('/pengguna/:id', async (req, res) => {
    const { id: userId } = parseInput(userParams, req.params);
    const q = parseInput(detailQuery, req.query);
    // One's own account is managed on the account page.
    if (userId === sessionOf(req).principal.sub) return void res.redirect(303, '/akun');
    await detailPage(req, res, userId, { saved: q.disimpan });
  });

  r.post('/pengguna/:id/kata-sandi', requireCsrf, async (req, res) => {
    const { id: userId } = parseInput(userParams, req.params);
    const f = parseInput(resetForm, req.body);
    const p = sessionOf(req).principal;
    try {
      const done = await resetPassword(deps, p, userId, f.password || undefined);
      await send(deps, req, res, 'Kata sandi diatur ulang', resetDoneBody(await placesFor(deps, p), done));
    } catch (err) {
      const refused = refusalOf(err);
      if (!refused) throw err;
      await detailPage(req, res, userId, { errors: refused.errors, status: refused.status });
    }
  });

  r.post('/pengguna/:id/status', requireCsrf, async (req, res) => {
    const { id: userId } = parseInput(userParams, req.params);
    const f = parseInput(statusForm, req.body);
    const p = sessionOf(req).principal;
    try {
      await setActive(deps, p, userId, f.aktif === 'ya');
    } catch (err) {
      const refused = refusalOf(err);
      if (!refused) throw err;
      return void (await detailPage(req, res, userId, { errors: refused.errors, status: refused.status }));
    }
    res.redirect(303, `/pengguna/${userId}?disimpan=${f.aktif === 'ya' ? 'aktif' : 'nonaktif'}`);
  });
  return r;
}
