// How amounts and dates read on an Indonesian government document: "Rp 1.234.567",
// "Senin, 23 November 2026", "23 November 2026 pukul 17.53 WIB".
import Decimal from 'decimal.js';

const BULAN = [
  'Januari',
  'Februari',
  'Maret',
  'April',
  'Mei',
  'Juni',
  'Juli',
  'Agustus',
  'September',
  'Oktober',
  'November',
  'Desember',
];
const HARI = ['Minggu', 'Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu'];
const ZONE = {
  'Asia/Jakarta': 'WIB',
  'Asia/Pontianak': 'WIB',
  'Asia/Makassar': 'WITA',
  'Asia/Jayapura': 'WIT',
} as Record<string, string>;

/** Thousands with dots, cents (only when there are any) after a comma. */
export function angka(v: Decimal.Value): string {
  const d = new Decimal(v);
  const [whole, cents] = d.abs().toFixed(2).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${d.isNegative() && !d.isZero() ? '-' : ''}${grouped}${cents === '00' ? '' : `,${cents}`}`;
}

/** "Rp 1.234.567", "Rp 1.234,50", "-Rp 5.000". */
export function rupiah(v: string | Decimal): string {
  const text = angka(v);
  return text.startsWith('-') ? `-Rp ${text.slice(1)}` : `Rp ${text}`;
}

/** A fraction as a percentage with two decimals, Indonesian style: "12,34%". */
export function persen(part: Decimal.Value, whole: Decimal.Value): string {
  const w = new Decimal(whole);
  if (w.isZero()) return '—';
  return `${new Decimal(part).div(w).times(100).toFixed(2).replace('.', ',')}%`;
}

function parts(date: string): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`not a date: ${date}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** "23 November 2026" */
export function tanggal(date: string): string {
  const [y, m, d] = parts(date);
  return `${d} ${BULAN[m - 1]} ${y}`;
}

/** "Senin, 23 November 2026" */
export function hariTanggal(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return `${HARI[weekday]}, ${tanggal(date)}`;
}

/** "November 2026" from "2026-11" */
export function bulanTahun(month: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) throw new Error(`not a month: ${month}`);
  return `${BULAN[Number(m[2]) - 1]} ${m[1]}`;
}

/** An instant's local date ("2026-11-23") and time of day ("17", "53", "05") in the region. */
function localParts(instant: Date, timeZone: string) {
  const p = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const get = (t: string) => p.find((x) => x.type === t)?.value ?? '00';
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

/** "23 November 2026 pukul 17.53 WIB": an instant as it reads in the region. */
export function waktuLokal(instant: Date, timeZone: string): string {
  const t = localParts(instant, timeZone);
  return `${tanggal(t.date)} pukul ${t.hour}.${t.minute} ${ZONE[timeZone] ?? timeZone}`;
}

/** "2026-11-23 17:53:05": an instant in the region as a spreadsheet takes a date and time. */
export function localStamp(instant: Date, timeZone: string): string {
  const t = localParts(instant, timeZone);
  return `${t.date} ${t.hour}:${t.minute}:${t.second}`;
}
