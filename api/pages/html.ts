// HTML built from template literals where every interpolated value is escaped unless it is
// itself Html: a trader's name or a bank's reference can never become markup.
import { angka, hariTanggal, rupiah as rupiahText, tanggal } from '../../reports/format';
import type Decimal from 'decimal.js';
import { CHANNEL_NAME } from '../core/glossary';

export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type Part = Html | string | number | null | undefined | false | readonly Part[];

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function render(v: Part): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return v.map(render).join('');
  return esc(String(v));
}

export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new Html(out);
}

/** Markup we wrote ourselves (never user data). */
export const raw = (s: string) => new Html(s);

/** A query string from the values given, skipping empty ones. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}

export const rupiah = (v: string | Decimal) => rupiahText(v);
export { angka, hariTanggal, tanggal };

const CHANNELS = CHANNEL_NAME;
export const channelLabel = (c: string) => CHANNELS[c] ?? c;
