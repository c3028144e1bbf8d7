// The staff pages' markup: the list of accounts, the form that makes one, an account's page with
// its password reset and switch, and the page that shows a generated password once.
import type { User } from '../users/users.schemas';
import { html, type Html, qs } from './html';
import { ROLE_LABEL } from './layout';
import { CSRF_FIELD } from './session.middleware';
import type { Places, StaffRole } from './staff.service';

/** One name per role; the pages' own labels first (layout.ts), then the two only these pages show. */
export const ROLE_NAME = {
  collector: 'Petugas Pemungut',
  feed: 'Pusat Komando',
  ...ROLE_LABEL,
} as Record<StaffRole, string>;

/** The roles as the address bar shows them (?peran=). */
export const ROLE_SLUG: Record<StaffRole, string> = {
  admin: 'administrator',
  officer: 'petugas',
  manager: 'kepala-pasar',
  collector: 'pemungut',
  auditor: 'auditor',
  feed: 'feed',
};

export const roleOfSlug = (slug: string | undefined): StaffRole | undefined =>
  (Object.keys(ROLE_SLUG) as StaffRole[]).find((r) => ROLE_SLUG[r] === slug);

/** A form's problem, next to its field ('form': above the form). */
export interface FieldMessage {
  field: string;
  message: string;
}

function regionOf(places: Places, u: Pick<User, 'regionId'>): string {
  if (!u.regionId) return 'Semua wilayah';
  return places.regions.find((r) => r.id === u.regionId)?.name ?? '—';
}

function marketOf(places: Places, u: Pick<User, 'marketId'>): string {
  if (!u.marketId) return '—';
  const m = places.markets.find((x) => x.id === u.marketId);
  return m ? `${m.name} (${m.code})` : '—';
}

const statusBadge = (active: boolean) =>
  active ? html`<span class="badge b-ok">Aktif</span>` : html`<span class="badge b-na">Nonaktif</span>`;

/** An input's error attributes and the message after it. */
function fieldError(errors: FieldMessage[], field: string): { attrs: Html | string; after: Html | string } {
  const e = errors.find((x) => x.field === field);
  if (!e) return { attrs: '', after: '' };
  return {
    attrs: html` aria-invalid="true" aria-describedby="e-${field}"`,
    after: html`<p class="bad" id="e-${field}" role="alert">${e.message}</p>`,
  };
}

const formError = (errors: FieldMessage[]) => {
  const e = errors.find((x) => x.field === 'form');
  return e ? html`<p class="note bad" role="alert" id="form-error">${e.message}</p>` : '';
};

export interface ListView {
  isAdmin: boolean;
  /** the officer's region's name */
  regionName?: string;
  places: Places;
  items: User[];
  total: number;
  offset: number;
  limit: number;
  role?: StaffRole;
  regionId?: string;
  viewerId: string;
  canManage: (u: User) => boolean;
}

export function listBody(v: ListView): Html {
  const filters = { peran: v.role ? ROLE_SLUG[v.role] : undefined, regionId: v.regionId };
  const roleOptions = (Object.keys(ROLE_SLUG) as StaffRole[]).map(
    (r) => html`<option value="${ROLE_SLUG[r]}"${r === v.role ? html` selected` : ''}>${ROLE_NAME[r]}</option>`,
  );
  const regionSelect = v.isAdmin
    ? html`<div class="field"><label for="f-wilayah">Wilayah</label><select id="f-wilayah" name="regionId"><option value="">Semua wilayah</option>${v.places.regions.map(
        (r) => html`<option value="${r.id}"${r.id === v.regionId ? html` selected` : ''}>${r.name}</option>`,
      )}</select></div>`
    : '';
  const row = (u: User) => {
    const manage = v.canManage(u) && u.id !== v.viewerId;
    return html`<tr data-username="${u.username}" data-active="${u.active ? 'ya' : 'tidak'}"><th scope="row">${manage ? html`<a href="/pengguna/${u.id}">${u.username}</a>` : u.username}</th>
<td>${u.displayName}</td><td>${ROLE_NAME[u.role]}</td>${v.isAdmin ? html`<td class="hide-sm">${regionOf(v.places, u)}</td>` : ''}<td>${marketOf(v.places, u)}</td>
<td>${statusBadge(u.active)}</td><td class="hide-sm">${manage ? html`<a href="/pengguna/${u.id}">Kelola</a>` : u.id === v.viewerId ? html`<a href="/akun">Akun Anda</a>` : html`<span class="muted">—</span>`}</td></tr>`;
  };
  const from = v.total === 0 ? 0 : v.offset + 1;
  const to = Math.min(v.offset + v.limit, v.total);
  const prev = v.offset > 0 ? Math.max(0, v.offset - v.limit) : undefined;
  const next = v.offset + v.limit < v.total ? v.offset + v.limit : undefined;
  return html`<h1>Pengguna</h1>
<p class="sub">${
    v.isAdmin
      ? 'Akun staf dan akun pusat komando di semua wilayah.'
      : `Akun di wilayah ${v.regionName ?? ''}. Anda dapat mengelola akun kepala pasar, petugas pemungut dan pusat komando wilayah ini.`
  }</p>
<div class="actions"><a class="button" href="/pengguna/baru">Tambah pengguna</a><a class="button secondary" href="/pengguna/baru?peran=feed">Tambah akun pusat komando</a></div>
<form method="get" action="/pengguna" class="filters"><div class="field"><label for="f-peran">Peran</label><select id="f-peran" name="peran"><option value="">Semua peran</option>${roleOptions}</select></div>
${regionSelect}<button type="submit" class="secondary">Tampilkan</button></form>
<div class="scroll"><table id="daftar-pengguna"><caption>${v.total} akun${v.total > v.limit ? ` · ${from}–${to} ditampilkan` : ''}</caption>
<thead><tr><th scope="col">Nama pengguna</th><th scope="col">Nama</th><th scope="col">Peran</th>${v.isAdmin ? html`<th scope="col" class="hide-sm">Wilayah</th>` : ''}<th scope="col">Pasar</th><th scope="col">Status</th><th scope="col" class="hide-sm">Tindakan</th></tr></thead>
<tbody>${v.items.length ? v.items.map(row) : html`<tr><td colspan="${v.isAdmin ? 7 : 6}" class="muted">Tidak ada akun.</td></tr>`}</tbody></table></div>
${
  prev !== undefined || next !== undefined
    ? html`<nav class="tabs" aria-label="Halaman daftar">${prev !== undefined ? html`<a href="/pengguna${qs({ ...filters, offset: prev })}">← Sebelumnya</a>` : ''}${
        next !== undefined ? html`<a href="/pengguna${qs({ ...filters, offset: next })}">Berikutnya →</a>` : ''
      }</nav>`
    : ''
}`;
}

export interface NewView {
  csrf: string;
  isAdmin: boolean;
  roles: StaffRole[];
  places: Places;
  values: { role?: StaffRole; username?: string; displayName?: string; marketId?: string; regionId?: string };
  errors: FieldMessage[];
}

export function newBody(v: NewView): Html {
  const e = (field: string) => fieldError(v.errors, field);
  const role = v.values.role ?? v.roles.find((r) => r === 'manager') ?? v.roles[0];
  const marketOptions = (regionId: string) =>
    v.places.markets
      .filter((m) => m.regionId === regionId)
      .map(
        (m) =>
          html`<option value="${m.id}"${m.id === v.values.marketId ? html` selected` : ''}>${m.name} (${m.code})</option>`,
      );
  const markets = v.isAdmin
    ? v.places.regions.map((r) => html`<optgroup label="${r.name}">${marketOptions(r.id)}</optgroup>`)
    : v.places.regions.map((r) => marketOptions(r.id));
  const hint = v.isAdmin
    ? 'Kepala pasar dan petugas pemungut: pilih pasarnya. Petugas Bapenda: pilih wilayahnya. Auditor dan akun pusat komando: pilih wilayah, atau kosongkan untuk semua wilayah. Administrator: tanpa wilayah dan pasar.'
    : 'Kepala pasar dan petugas pemungut: pilih pasarnya. Akun pusat komando (layar dinding) melihat seluruh wilayah Anda, tanpa pasar.';
  return html`<h1>Tambah pengguna</h1><p class="sub">${hint}</p>
${formError(v.errors)}
<form method="post" action="/pengguna/baru" class="stack" id="form-pengguna" novalidate><input type="hidden" name="${CSRF_FIELD}" value="${v.csrf}">
<div><label for="role">Peran</label><select id="role" name="role"${e('role').attrs}>${v.roles.map(
    (r) => html`<option value="${r}"${r === role ? html` selected` : ''}>${ROLE_NAME[r]}</option>`,
  )}</select>${e('role').after}</div>
<div><label for="username">Nama pengguna</label><input id="username" name="username" autocomplete="off" autocapitalize="none" spellcheck="false" value="${v.values.username ?? ''}"${e('username').attrs}>
<p class="muted">3–40 karakter: huruf kecil a–z, angka, titik, garis bawah atau tanda hubung.</p>${e('username').after}</div>
<div><label for="displayName">Nama lengkap</label><input id="displayName" name="displayName" autocomplete="off" value="${v.values.displayName ?? ''}"${e('displayName').attrs}>${e('displayName').after}</div>
<div><label for="marketId">Pasar</label><select id="marketId" name="marketId"${e('marketId').attrs}><option value="">— tanpa pasar —</option>${markets}</select>${e('marketId').after}</div>
${
  v.isAdmin
    ? html`<div><label for="regionId">Wilayah</label><select id="regionId" name="regionId"${e('regionId').attrs}><option value="">— tanpa wilayah / semua wilayah —</option>${v.places.regions.map(
        (r) => html`<option value="${r.id}"${r.id === v.values.regionId ? html` selected` : ''}>${r.name}</option>`,
      )}</select><p class="muted">Untuk kepala pasar dan petugas pemungut, wilayah mengikuti pasarnya.</p>${e('regionId').after}</div>`
    : ''
}
<div><label for="password">Kata sandi awal</label><input id="password" name="password" type="password" autocomplete="new-password"${e('password').attrs}>
<p class="muted">Minimal 10 karakter. Kosongkan agar sistem membuatkan kata sandi acak yang ditampilkan sekali.</p>${e('password').after}</div>
<div class="actions"><button type="submit">Buat akun</button><a class="button secondary" href="/pengguna">Batal</a></div></form>`;
}

function accountFacts(places: Places, u: User): Html {
  return html`<dl class="kv"><dt>Nama pengguna</dt><dd id="nama-pengguna">${u.username}</dd><dt>Nama</dt><dd>${u.displayName}</dd>
<dt>Peran</dt><dd>${ROLE_NAME[u.role]}</dd><dt>Wilayah</dt><dd>${regionOf(places, u)}</dd><dt>Pasar</dt><dd>${marketOf(places, u)}</dd>
<dt>Status</dt><dd>${statusBadge(u.active)}</dd></dl>`;
}

/** The password the system made, on the one page that ever shows it. */
function oncePassword(password: string): Html {
  return html`<section class="panel" aria-labelledby="judul-sandi"><h2 id="judul-sandi">Kata sandi awal</h2>
<div class="cards"><div class="card c-warn"><span class="k">Ditampilkan sekali</span><span class="v"><code id="kata-sandi-baru">${password}</code></span></div></div>
<p class="note info">Catat dan serahkan langsung kepada pemilik akun. Kata sandi ini hanya ditampilkan sekali ini dan tidak disimpan dalam bentuk yang dapat dibaca. Pemilik dapat menggantinya di menu Akun setelah masuk.</p></section>`;
}

export function createdBody(places: Places, c: { user: User; generatedPassword?: string }): Html {
  return html`<h1>Akun dibuat</h1><p class="note ok" role="status">Akun ${c.user.username} (${ROLE_NAME[c.user.role]}) sudah dapat dipakai untuk masuk.</p>
${c.generatedPassword ? oncePassword(c.generatedPassword) : html`<p>Kata sandi awal adalah yang Anda ketik; serahkan kepada pemilik akun secara langsung.</p>`}
${accountFacts(places, c.user)}
<div class="actions"><a class="button" href="/pengguna/baru">Tambah pengguna lain</a><a class="button secondary" href="/pengguna">Kembali ke daftar</a></div>`;
}

export function resetDoneBody(places: Places, c: { user: User; generatedPassword?: string }): Html {
  return html`<h1>Kata sandi diatur ulang</h1><p class="note ok" role="status">Kata sandi ${c.user.username} sudah diganti. Semua sesi akun ini telah diakhiri.</p>
${c.generatedPassword ? oncePassword(c.generatedPassword) : html`<p>Kata sandi baru adalah yang Anda ketik; serahkan kepada pemilik akun secara langsung.</p>`}
${accountFacts(places, c.user)}
<div class="actions"><a class="button secondary" href="/pengguna">Kembali ke daftar</a></div>`;
}

export interface DetailView {
  csrf: string;
  places: Places;
  user: User;
  /** after a switch: 'aktif' or 'nonaktif' */
  saved?: string;
  errors: FieldMessage[];
}

export function detailBody(v: DetailView): Html {
  const u = v.user;
  const e = fieldError(v.errors, 'password');
  return html`<h1>Akun ${u.username}</h1><p class="sub"><a href="/pengguna">← Daftar pengguna</a></p>
${v.saved === 'aktif' ? html`<p class="note ok" role="status">Akun diaktifkan kembali. Sesi yang diakhiri saat akun dinonaktifkan tetap berakhir.</p>` : ''}
${v.saved === 'nonaktif' ? html`<p class="note ok" role="status">Akun dinonaktifkan. Semua sesinya telah diakhiri dan akun ini tidak dapat masuk.</p>` : ''}
${formError(v.errors)}
${accountFacts(v.places, u)}
<div class="grid2"><section class="panel"><h2>Atur ulang kata sandi</h2>
<form method="post" action="/pengguna/${u.id}/kata-sandi" class="stack" novalidate><input type="hidden" name="${CSRF_FIELD}" value="${v.csrf}">
<div><label for="password">Kata sandi baru</label><input id="password" name="password" type="password" autocomplete="new-password"${e.attrs}>
<p class="muted">Minimal 10 karakter. Kosongkan agar sistem membuatkan kata sandi acak yang ditampilkan sekali. Semua sesi akun ini akan diakhiri.</p>${e.after}</div>
<button type="submit">Atur ulang kata sandi</button></form></section>
<section class="panel"><h2>${u.active ? 'Nonaktifkan akun' : 'Aktifkan kembali'}</h2>
<p>${u.active ? 'Akun yang nonaktif tidak dapat masuk, dan semua sesinya langsung berakhir.' : 'Akun dapat masuk lagi dengan kata sandinya.'}</p>
<form method="post" action="/pengguna/${u.id}/status"><input type="hidden" name="${CSRF_FIELD}" value="${v.csrf}"><input type="hidden" name="aktif" value="${u.active ? 'tidak' : 'ya'}">
<button type="submit"${u.active ? html` class="secondary"` : ''}>${u.active ? 'Nonaktifkan' : 'Aktifkan kembali'}</button></form></section></div>`;
}
