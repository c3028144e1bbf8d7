// The account page's markup: who is logged in, and the form to change one's own password (the
// current one, the new one twice). A refused form comes back with its message next to the field
// and every password field empty.
import { html, type Html } from './html';
import { CSRF_FIELD } from './session.middleware';
import type { FieldMessage } from './staff.views';

export interface AccountView {
  csrf: string;
  username: string;
  displayName: string;
  roleName: string;
  scopeName?: string;
  changed: boolean;
  errors: FieldMessage[];
}

export function accountBody(v: AccountView): Html {
  const e = (field: string) => {
    const m = v.errors.find((x) => x.field === field);
    return m
      ? {
          attrs: html` aria-invalid="true" aria-describedby="e-${field}"`,
          after: html`<p class="bad" id="e-${field}" role="alert">${m.message}</p>`,
        }
      : { attrs: '', after: '' };
  };
  const top = v.errors.find((x) => x.field === 'form');
  const input = (id: string, label: string, autocomplete: string, hint?: string) =>
    html`<div><label for="${id}">${label}</label><input id="${id}" name="${id}" type="password" autocomplete="${autocomplete}" required${e(id).attrs}>${
      hint ? html`<p class="muted">${hint}</p>` : ''
    }${e(id).after}</div>`;
  return html`<h1>Akun</h1>
<dl class="kv"><dt>Nama pengguna</dt><dd id="nama-pengguna">${v.username}</dd><dt>Nama</dt><dd>${v.displayName}</dd>
<dt>Peran</dt><dd>${v.roleName}</dd>${v.scopeName ? html`<dt>Wilayah / pasar</dt><dd>${v.scopeName}</dd>` : ''}</dl>
<section class="panel" aria-labelledby="judul-ganti"><h2 id="judul-ganti">Ganti kata sandi</h2>
${v.changed ? html`<p class="note ok" role="status" id="sandi-diganti">Kata sandi diganti. Sesi lain akun ini (di perangkat lain) telah diakhiri; sesi ini tetap berjalan.</p>` : ''}
${top ? html`<p class="note bad" role="alert" id="form-error">${top.message}</p>` : ''}
<form method="post" action="/akun/kata-sandi" class="stack" id="form-sandi" novalidate><input type="hidden" name="${CSRF_FIELD}" value="${v.csrf}">
${input('currentPassword', 'Kata sandi saat ini', 'current-password')}
${input('newPassword', 'Kata sandi baru', 'new-password', 'Minimal 10 karakter, berbeda dari kata sandi saat ini.')}
${input('newPassword2', 'Ulangi kata sandi baru', 'new-password')}
<button type="submit">Ganti kata sandi</button></form>
<p class="muted">Setelah diganti, semua sesi lain akun ini berakhir dan harus masuk lagi dengan kata sandi baru.</p></section>`;
}
