// The shell every staff page shares: a header with who is logged in and a logout button, a nav
// that lists what the role may open, and the page's own content. Indonesian, lang="id".
import type { Role } from '../auth/principal';
import { CSRF_FIELD } from './session.middleware';
import { html, type Html, type Part } from './html';
import { ROLE_NAME } from '../core/glossary';

/** The roles by the glossary's names (api/core/glossary.ts). */
export const ROLE_LABEL: Partial<Record<Role, string>> = ROLE_NAME;

export interface Viewer {
  role: Role;
  displayName: string;
  /** the market or region the account belongs to, when it has one */
  scopeName?: string;
  csrf: string;
}

interface NavItem {
  href: string;
  label: string;
  /** paths (prefixes) on which this item is the current one */
  match: string[];
}

function navFor(role: Role): NavItem[] {
  if (role === 'feed') return [{ href: '/pusat-komando', label: 'Pusat komando', match: ['/pusat-komando'] }];
  if (role === 'manager') {
    return [
      { href: '/kelola', label: 'Hari ini', match: ['/kelola'] },
      { href: '/kelola/tunggakan', label: 'Tunggakan', match: ['/kelola/tunggakan'] },
      { href: '/kelola/surat', label: 'Surat', match: ['/kelola/surat'] },
      { href: '/laporan', label: 'Laporan', match: ['/laporan'] },
    ];
  }
  return [
    { href: '/rekonsiliasi', label: 'Rekonsiliasi', match: ['/rekonsiliasi'] },
    { href: '/kelola', label: 'Pasar', match: ['/kelola'] },
    { href: '/laporan', label: 'Laporan', match: ['/laporan'] },
    { href: '/target', label: 'Target', match: ['/target'] },
    { href: '/pusat-komando', label: 'Pusat komando', match: ['/pusat-komando'] },
  ];
}

/** Last in every nav: managing accounts (admin and officers, as the users API), one's own account. */
function accountNav(role: Role): NavItem[] {
  const staff: NavItem[] =
    role === 'admin' || role === 'officer' ? [{ href: '/pengguna', label: 'Pengguna', match: ['/pengguna'] }] : [];
  return [...staff, { href: '/akun', label: 'Akun', match: ['/akun'] }];
}

/** The nav item the path belongs to: the longest matching prefix. */
function current(items: NavItem[], path: string): NavItem | undefined {
  let best: { item: NavItem; len: number } | undefined;
  for (const item of items) {
    for (const m of item.match) {
      if ((path === m || path.startsWith(`${m}/`)) && (!best || m.length > best.len)) best = { item, len: m.length };
    }
  }
  return best?.item;
}

export interface PageOptions {
  title: string;
  /** the request path, to mark the current nav item */
  path: string;
  body: Part;
  /** what the header's search box holds (the search page passes what was searched for) */
  query?: string;
}

/** The header's search box: a stall code, part of a trader's name or a letter number (GET /cari),
 * on every page of the roles that read markets. */
function searchBox(role: Role, query: string | undefined): Part {
  if (!['admin', 'officer', 'manager', 'auditor'].includes(role)) return '';
  return html`<form class="search" role="search" method="get" action="/cari"><label class="sr" for="cari-q">Cari los, pedagang atau nomor surat</label>
<input type="search" id="cari-q" name="q" value="${query ?? ''}" maxlength="80" placeholder="Los, pedagang, no. surat" autocomplete="off"><button type="submit">Cari</button></form>`;
}

/** Who is logged in: the name, then the role and the market or region unless the name already
 * says them ("Bambang Sutrisno (Kepala Pasar Rejowinangun)" is not followed by "Kepala Pasar"). */
function whoIs(viewer: Viewer): string {
  const said = viewer.displayName.toLowerCase();
  const extra = [ROLE_LABEL[viewer.role] ?? viewer.role, viewer.scopeName].filter(
    (part): part is string => !!part && !said.includes(part.toLowerCase().replace(/^pasar /, '')),
  );
  return [viewer.displayName, ...extra].join(' · ');
}

function head(title: string): Html {
  return html`<!doctype html><html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} — e-Retribusi Pasar</title><link rel="stylesheet" href="/aset/halaman.css"></head>`;
}

export function staffPage(viewer: Viewer, o: PageOptions): string {
  const items = [...navFor(viewer.role), ...accountNav(viewer.role)];
  const here = current(items, o.path);
  return html`${head(o.title)}<body><a class="skip" href="#isi">Lewati ke isi</a>
<header class="top"><div class="bar"><a class="brand" href="/">e-Retribusi Pasar</a>
<span class="who">${whoIs(viewer)}</span>
${searchBox(viewer.role, o.query)}
<form method="post" action="/logout"><input type="hidden" name="${CSRF_FIELD}" value="${viewer.csrf}"><button type="submit">Keluar</button></form></div></header>
<nav class="main" aria-label="Menu utama"><ul>${items.map(
    (i) => html`<li><a href="${i.href}"${i === here ? html` aria-current="page"` : ''}>${i.label}</a></li>`,
  )}</ul></nav>
<main id="isi">${o.body}</main>
<footer>e-Retribusi Pasar · pembayaran retribusi non-tunai</footer></body></html>`.text;
}

/** A page without the staff shell: the login form, the public stall page, errors before login. */
export function plainPage(title: string, body: Part): string {
  return html`${head(title)}<body><main id="isi" class="narrow">${body}</main></body></html>`.text;
}
