// The words of a reconciliation day as an officer reads them, and which decisions fit which
// kind of difference (selisih). resolve.service.ts carries a decision out; this file says which
// of them make sense for each kind, with one line saying what each one does, so the form offers
// only those (and the page refuses another one posted by hand).
//   accept-bank  on a bank line the ledger lacks: the payment is created from the line for the
//                stall named; on any other kind: the bank's figure stands, nothing is posted.
//   link         a payment and a bank line paired by hand.
//   reversed     the transaction was reversed: nothing more is expected.
//   write-off    the difference is written off: nothing is posted, the reason is kept.
import { EXCEPTION_NAME } from '../core/glossary';
import type { ExceptionKind } from '../reconcile/exceptions';
import type { RESOLUTIONS } from '../reconcile/reconcile.schemas';

export type Resolution = (typeof RESOLUTIONS)[number];

/** The kind's name: the glossary's one word for it (api/core/glossary.ts). */
export const KIND_LABEL: Record<ExceptionKind, string> = EXCEPTION_NAME as Record<ExceptionKind, string>;

/** One line under the kind's name: what the system found. */
export const KIND_HELP: Record<ExceptionKind, string> = {
  'in-ledger-not-settled':
    'Pembayaran ini tercatat dari terminal, tetapi berkas bank sampai tanggal jatuh tempo tidak memuatnya.',
  'settled-not-in-ledger': 'Bank menyelesaikan transaksi ini, tetapi tidak ada pembayaran yang cocok di sistem.',
  'amount-mismatch': 'Pembayaran dan baris bank berpasangan, tetapi nominalnya berbeda.',
  'duplicate-settlement-line': 'Bank menulis transaksi yang sama dua kali.',
  'batch-statement-mismatch': 'Jumlah bersih batch tidak sama dengan kredit di rekening koran, atau belum dikreditkan.',
  'settled-late': 'Bank menyelesaikan transaksi ini setelah tanggal jatuh temponya.',
  'fee-mismatch': 'MDR yang dipotong bank berbeda dengan tarif bank yang tercatat.',
  'ambiguous-match': 'Beberapa pembayaran dan baris bank sama cocoknya; sistem tidak menebak pasangannya.',
};

interface DecisionText {
  label: string;
  /** what it does, in one line */
  does: string;
}

const write = (does: string): DecisionText => ({ label: 'Hapus buku selisih', does });

/** The decisions that fit each kind, in the order offered, with what each does there. */
export const DECISIONS: Record<ExceptionKind, Partial<Record<Resolution, DecisionText>>> = {
  'in-ledger-not-settled': {
    link: {
      label: 'Pasangkan dengan baris bank',
      does: 'Baris bank yang dipilih adalah transaksi ini (misalnya kode otorisasi tercatat berbeda); keduanya dicocokkan.',
    },
    reversed: {
      label: 'Dibatalkan',
      does: 'Transaksi dibatalkan di terminal atau oleh bank; tidak ada dana yang ditunggu lagi.',
    },
    'write-off': write('Dana tidak akan diterima; selisih dihapusbukukan, jurnal tidak diubah, alasannya dicatat.'),
  },
  'settled-not-in-ledger': {
    'accept-bank': {
      label: 'Terima data bank',
      does: 'Pembayaran yang tidak terkirim dari terminal dibuat dari baris bank untuk tempat usaha yang dipilih, dengan bukti bayar.',
    },
    link: {
      label: 'Pasangkan dengan pembayaran',
      does: 'Baris bank ini adalah pembayaran yang sudah tercatat (dipilih dari daftar); keduanya dicocokkan.',
    },
    reversed: {
      label: 'Dibatalkan',
      does: 'Bank membatalkan atau mengembalikan transaksi ini; tidak ada yang dicatat.',
    },
  },
  'amount-mismatch': {
    'accept-bank': {
      label: 'Terima nominal bank',
      does: 'Nominal yang disetelmen bank dianggap benar; jurnal tidak diubah, alasannya dicatat.',
    },
    'write-off': write('Selisih nominal dihapusbukukan; jurnal tidak diubah, alasannya dicatat.'),
  },
  'duplicate-settlement-line': {
    reversed: {
      label: 'Dibatalkan bank',
      does: 'Bank membatalkan atau mengoreksi baris ganda ini; tidak ada yang dicatat.',
    },
    'accept-bank': {
      label: 'Terima data bank',
      does: 'Baris ini diterima sebagaimana ditulis bank; tidak ada pembayaran yang dibuat.',
    },
  },
  'batch-statement-mismatch': {
    'accept-bank': {
      label: 'Terima rekening koran',
      does: 'Kredit di rekening koran dianggap benar; jurnal tidak diubah, alasannya dicatat.',
    },
    'write-off': write('Selisih batch dihapusbukukan; jurnal tidak diubah, alasannya dicatat.'),
  },
  'settled-late': {
    'accept-bank': {
      label: 'Terima setelmen terlambat',
      does: 'Dana sudah disetelmen bank meski terlambat; tidak ada yang perlu diubah.',
    },
  },
  'fee-mismatch': {
    'accept-bank': {
      label: 'Terima MDR bank',
      does: 'Potongan MDR bank dianggap benar; jurnal tidak diubah, alasannya dicatat.',
    },
    'write-off': write('Selisih MDR dihapusbukukan; jurnal tidak diubah, alasannya dicatat.'),
  },
  'ambiguous-match': {
    link: {
      label: 'Pasangkan',
      does: 'Pilih pembayaran dan baris bank yang sebenarnya berpasangan dari kandidatnya; sisanya tetap diperiksa.',
    },
  },
};

export function decisionsFor(kind: string): [Resolution, DecisionText][] {
  return Object.entries(DECISIONS[kind as ExceptionKind] ?? {}) as [Resolution, DecisionText][];
}

export function fits(kind: string, resolution: string): boolean {
  return resolution in (DECISIONS[kind as ExceptionKind] ?? {});
}

/** A decision as the log and a decided exception name it, whatever kind it was taken on. */
export const RESOLUTION_LABEL: Record<Resolution, string> = {
  'accept-bank': 'Terima data bank',
  link: 'Dipasangkan',
  reversed: 'Dibatalkan',
  'write-off': 'Hapus buku selisih',
};

/** The label a decision had on its kind's form, else the general one. */
export function decisionLabel(kind: string, resolution: string | null): string {
  if (!resolution) return '';
  return (
    DECISIONS[kind as ExceptionKind]?.[resolution as Resolution]?.label ??
    RESOLUTION_LABEL[resolution as Resolution] ??
    resolution
  );
}

/** Why a decision was refused, in the words of the form it came from: the resolve service's codes. */
export const REFUSAL: Record<string, string> = {
  'exception-not-open': 'Selisih ini sudah diputuskan sebelum keputusan Anda tersimpan. Keputusan Anda tidak disimpan.',
  'exception-cleared':
    'Selisih ini sudah tidak berlaku: rekonsiliasi ulang menemukan pasangannya. Keputusan Anda tidak disimpan.',
  'not-a-candidate': 'Pilihan itu bukan salah satu kandidat selisih ini. Pilih dari daftar kandidat.',
  'payment-required': 'Pilih pembayaran yang akan dipasangkan dari daftar.',
  'settlement-line-required': 'Pilih baris setelmen bank yang akan dipasangkan dari daftar.',
  'payment-not-found': 'Pembayaran yang dipilih tidak ada di wilayah ini.',
  'settlement-line-not-found': 'Baris setelmen yang dipilih tidak ada di wilayah ini.',
  'acquirer-mismatch':
    'Pembayaran dan baris bank itu berasal dari bank yang berbeda; keduanya tidak dapat dipasangkan.',
  'already-matched':
    'Pembayaran atau baris bank yang dipilih sudah dipasangkan dengan transaksi lain. Pilih yang lain dari daftar.',
  'stall-required': 'Pilih tempat usaha yang dibayar dengan transaksi ini.',
  'stall-not-found': 'Tempat usaha yang dipilih tidak ada di wilayah ini.',
  'stall-not-occupied':
    'Tidak ada pedagang yang menempati tempat usaha itu pada tanggal transaksi. Pilih tempat usaha lain.',
  'terminal-required': 'TID pada baris bank ini tidak dikenal: pilih terminal yang menerima transaksi ini.',
  'terminal-market-mismatch': 'Terminal itu bukan terminal pasar tempat usaha yang dipilih.',
  'decision-does-not-fit':
    'Keputusan itu tidak berlaku untuk jenis selisih ini. Pilih salah satu keputusan yang ditawarkan.',
};

/** A form field that did not parse, said as what to do. */
export const FIELD_PROBLEM: Record<string, string> = {
  note: 'Tuliskan alasan keputusan (paling sedikit 3 huruf).',
  resolution: 'Pilih keputusan.',
  paymentId: 'Pilih pembayaran dari daftar.',
  settlementLineId: 'Pilih baris bank dari daftar.',
  stallId: 'Pilih tempat usaha dari daftar.',
  terminalId: 'Pilih terminal dari daftar.',
};

export const GENERAL_REFUSAL = 'Keputusan tidak dapat disimpan. Periksa isian lalu coba lagi.';

// ---- Bank-file uploads -----------------------------------------------------------------------

/** Where in the file a refusal is, as the importer names it (line, or sheet, row and cell). */
function place(details: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof details.sheet === 'string') parts.push(`lembar “${details.sheet}”`);
  const row = typeof details.row === 'number' ? details.row : typeof details.line === 'number' ? details.line : 0;
  if (row > 0) parts.push(`baris ${row}`);
  if (typeof details.cell === 'string') parts.push(`sel ${details.cell}`);
  else if (typeof details.column === 'string') parts.push(`kolom ${details.column}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** The importer's reasons people meet, in a sentence; anything else is the general one. */
const REASONS: [RegExp, string][] = [
  [/the file is empty/i, 'Berkasnya kosong.'],
  [/UTF-16/, 'Berkas tersimpan sebagai UTF-16: simpan ulang sebagai CSV UTF-8, lalu unggah lagi.'],
  [/NUL characters|binary/i, 'Berkas ini bukan teks CSV (isinya biner).'],
  [
    /full card number|PAN/,
    'Berkas memuat nomor kartu lengkap: minta bank mengirim berkas dengan nomor kartu tersamar, atau simpan lembarnya sebagai CSV lalu unggah CSV itu.',
  ],
  [
    /one workbook per sheet/i,
    'Buku kerja ini berisi lebih dari satu lembar laporan setelmen: unggah satu lembar per berkas.',
  ],
  [/no sheet with anything/i, 'Buku kerja ini tidak berisi data.'],
  [
    /layout we know|no .* header|header lacks|header line is not/i,
    'Tata letak berkas tidak dikenali sebagai laporan setelmen bank yang dipilih: periksa bank yang dipilih dan kolom berkasnya.',
  ],
  [/cut short|no Total row|no TOTAL row/i, 'Berkas terpotong: bagian akhirnya tidak ada.'],
  [/states .* (sum|has)/i, 'Total yang tertulis di berkas tidak sama dengan jumlah baris-barisnya.'],
  [/is not an amount/i, 'Ada nilai yang bukan nominal uang.'],
  [/does not balance/i, 'Saldo awal ditambah kredit dikurangi debit tidak sama dengan saldo akhir pernyataan.'],
  [/closing balance is in .* opening balance in/i, 'Mata uang saldo awal dan saldo akhir berbeda.'],
  [/TtlNtries|says .* entries/i, 'Jumlah mutasi di ringkasan berkas tidak sama dengan mutasi yang ada.'],
  [/is not a date|not a real date/i, 'Ada tanggal yang tidak sah.'],
];

const reasonText = (reason: unknown, fallback: string) =>
  REASONS.find(([re]) => typeof reason === 'string' && re.test(reason))?.[1] ?? fallback;

/** An import's refusal (its code and details) as the upload form says it. */
export function uploadRefusal(code: string, details: unknown): string {
  const d = (details && typeof details === 'object' ? details : {}) as Record<string, unknown>;
  switch (code) {
    case 'settlement-file-refused':
      return `Berkas ditolak${place(d)}: ${reasonText(d.reason, 'isinya tidak sesuai tata letak laporan setelmen bank ini.')} Tidak ada yang diimpor.`;
    case 'statement-file-refused':
      return `Berkas ditolak${place(d)}: ${reasonText(d.reason, 'bukan rekening koran MT940 atau camt.053 yang dapat dibaca.')} Tidak ada yang diimpor.`;
    case 'settlement-line-conflict':
      return 'Berkas ditolak: ada baris yang sudah pernah dikirim bank dengan isi lain. Tidak ada yang diimpor; hubungi bank untuk koreksinya.';
    case 'statement-conflict':
      return 'Berkas ditolak: rekening koran ini sudah pernah diimpor dengan saldo atau mutasi lain. Tidak ada yang diimpor; hubungi bank untuk koreksinya.';
    case 'unknown-acquirer':
    case 'unknown-source':
      return 'Sumber berkas itu bukan bank wilayah ini. Pilih dari daftar.';
    case 'payload-too-large':
      return 'Berkas terlalu besar untuk diunggah lewat halaman ini (paling besar 200 MB).';
    case 'no-file':
      return 'Pilih berkas yang akan diunggah.';
    case 'no-source':
      return 'Pilih sumber berkas: bank pengirim setelmen, atau rekening koran.';
    case 'unreadable-form':
      return 'Formulir unggah tidak terbaca. Muat ulang halaman lalu coba lagi.';
    default:
      return 'Berkas tidak dapat diimpor. Periksa berkas dan sumbernya, lalu coba lagi.';
  }
}
