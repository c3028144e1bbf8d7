// The product's Indonesian words: one word per concept, for every page, PDF and error a trader,
// collector, market manager, officer or auditor reads. Code keeps its English names (DOMAIN.md,
// section 3); what a person reads comes from here, so a page, its PDF and its error messages name
// a thing the same way. Words a revenue office uses:
//   selisih          a reconciliation exception (never "pengecualian")
//   Selisih nominal  an amount mismatch (never "Jumlah berbeda")
//   sanksi bunga     the penalty (sanksi administratif berupa bunga, UU 1/2022; never "denda")
//   titipan          a trader's credit on a stall (paid in advance or overpaid)
//   setelmen         the bank's settlement (Bank Indonesia's own word; never "settlement")
// Banks are named by their name, never by an acquirer code such as bpd-jateng-card-mgl.

/** One word per concept, as it reads inside a sentence (capitalise() for the start of one). */
export const TERM = {
  region: 'wilayah',
  market: 'pasar',
  stall: 'tempat usaha',
  trader: 'pedagang',
  collector: 'petugas pemungut',
  terminal: 'terminal',
  tenancy: 'penempatan',
  tariff: 'tarif',
  fee: 'retribusi',
  assessment: 'ketetapan retribusi',
  principal: 'pokok',
  payment: 'pembayaran',
  receipt: 'bukti bayar',
  credit: 'titipan',
  arrears: 'tunggakan',
  penalty: 'sanksi bunga',
  letter: 'surat',
  warningLetter: 'Surat Teguran',
  strd: 'STRD',
  reconciliation: 'rekonsiliasi',
  exception: 'selisih',
  amountMismatch: 'Selisih nominal',
  settlement: 'setelmen',
  bankFile: 'berkas bank',
  bankStatement: 'rekening koran',
  deposit: 'setoran',
  target: 'target',
  realisation: 'realisasi',
  report: 'laporan',
  document: 'dokumen',
  account: 'akun pengguna',
  password: 'kata sandi',
  commandCenter: 'pusat komando',
} as const;

export const capitalise = (s: string) => (s ? s[0].toUpperCase() + s.slice(1) : s);

/** Who an account is, by role. */
export const ROLE_NAME: Record<string, string> = {
  admin: 'Administrator',
  officer: 'Petugas Bapenda',
  manager: 'Kepala Pasar',
  auditor: 'Auditor',
  collector: 'Petugas Pemungut',
  feed: 'Pusat Komando',
  terminal: 'Terminal',
};

/** How a payment was made. */
export const CHANNEL_NAME: Record<string, string> = { card: 'Kartu debit', qris: 'QRIS', cash: 'Tunai' };

/** The kinds of reconciliation selisih (api/reconcile/exceptions.ts ExceptionKind). */
export const EXCEPTION_NAME: Record<string, string> = {
  'in-ledger-not-settled': 'Tercatat di sistem, tidak disetelmen bank',
  'settled-not-in-ledger': 'Disetelmen bank, tidak tercatat di sistem',
  'amount-mismatch': 'Selisih nominal',
  'duplicate-settlement-line': 'Baris setelmen ganda',
  'batch-statement-mismatch': 'Batch tidak sesuai rekening koran',
  'settled-late': 'Setelmen terlambat',
  'fee-mismatch': 'MDR tidak sesuai tarif',
  'ambiguous-match': 'Lebih dari satu pasangan cocok',
};

/** How a selisih was decided. */
export const RESOLUTION_NAME: Record<string, string> = {
  'accept-bank': 'Data bank diterima',
  link: 'Dipasangkan manual',
  reversed: 'Transaksi dibatalkan',
  'write-off': 'Dihapusbukukan',
};

/** A reconciliation day, as the calendar and the report say it. */
export const RECONCILIATION_STATUS: Record<string, string> = {
  closed: 'Selesai',
  awaiting: 'Menunggu berkas bank',
  open: 'Ada selisih terbuka',
  'not-reconciled': 'Belum direkonsiliasi',
  'no-transactions': 'Tidak ada transaksi',
};

/** Whether a selisih is still to be decided. */
export const EXCEPTION_STATUS: Record<string, string> = { open: 'Terbuka', resolved: 'Diselesaikan' };

/** An STRD or surat teguran, by what of it is paid. */
export const LETTER_STATUS: Record<string, string> = {
  open: 'Belum dibayar',
  'partly-paid': 'Dibayar sebagian',
  paid: 'Lunas',
};

/** Banks by the first part of their acquirer codes, for a code whose bank has no name on record. */
const BANK_BY_PREFIX: [string, string][] = [
  ['bpd-jateng', 'Bank Jateng'],
  ['bank-jateng', 'Bank Jateng'],
  ['bpd-jatim', 'Bank Jatim'],
  ['bank-jatim', 'Bank Jatim'],
  ['bpd-jabar', 'Bank BJB'],
  ['bjb', 'Bank BJB'],
  ['bpd-kalsel', 'Bank Kalsel'],
  ['bank-kalsel', 'Bank Kalsel'],
  ['bpd-diy', 'BPD DIY'],
  ['bpd-bali', 'BPD Bali'],
  ['bank-dki', 'Bank DKI'],
  ['mandiri', 'Bank Mandiri'],
  ['bni', 'BNI'],
  ['bri', 'BRI'],
  ['btn', 'BTN'],
  ['bca', 'BCA'],
  ['bsi', 'BSI'],
];

/**
 * The bank as a person names it: the acquirer's name when it has one, otherwise the bank its
 * code starts with (with the channel when the code says it), otherwise the code itself.
 */
export function bankName(code: string | null | undefined, name?: string | null): string {
  if (name && name !== code) return name;
  if (!code) return '—';
  const c = code.toLowerCase();
  const bank = BANK_BY_PREFIX.find(([p]) => c === p || c.startsWith(`${p}-`))?.[1];
  if (!bank) return code;
  const channel = /(^|-)card(-|$)/.test(c) ? ' - Kartu debit' : /(^|-)qris(-|$)/.test(c) ? ' - QRIS' : '';
  return `${bank}${channel}`;
}

/** What a thing is called in an error ("<thing> not found" from api/core/errors' notFound). */
const THING: Record<string, string> = {
  stall: 'Tempat usaha',
  'tempat usaha': 'Tempat usaha',
  market: 'Pasar',
  pasar: 'Pasar',
  region: 'Wilayah',
  wilayah: 'Wilayah',
  trader: 'Pedagang',
  letter: 'Surat',
  receipt: 'Bukti bayar',
  tariff: 'Tarif',
  tenancy: 'Penempatan',
  terminal: 'Terminal',
  'terminal assignment': 'Penugasan terminal',
  user: 'Akun pengguna',
  acquirer: 'Bank',
  'QRIS intent': 'Kode QRIS',
  'bank file': 'Berkas bank',
  'berkas bank': 'Berkas bank',
  'reconciliation exception': 'Selisih rekonsiliasi',
  selisih: 'Selisih rekonsiliasi',
  'reconciliation of this region and date': 'Rekonsiliasi wilayah pada tanggal ini',
  'report kind': 'Jenis laporan',
  'document of this kind': 'Dokumen jenis ini dengan nomor itu',
  'file of this document (issued before documents were kept)':
    'Berkas dokumen ini (diterbitkan sebelum berkas dokumen disimpan)',
};

/** What an input field is called in an error. */
const FIELD: Record<string, string> = {
  '(path)': 'alamat halaman',
  '(body)': 'isi permintaan',
  date: 'tanggal',
  asOf: 'tanggal',
  month: 'bulan',
  year: 'tahun',
  regionId: 'wilayah',
  marketId: 'pasar',
  stallId: 'tempat usaha',
  traderId: 'pedagang',
  letterId: 'surat',
  paymentId: 'pembayaran',
  settlementLineId: 'baris bank',
  id: 'nomor data',
  publicCode: 'kode stiker',
  intentId: 'kode QRIS',
  code: 'kode',
  kind: 'jenis laporan',
  format: 'format berkas',
  number: 'nomor dokumen',
  q: 'kata pencarian',
  page: 'halaman',
  sort: 'urutan',
  block: 'blok',
  amount: 'jumlah rupiah',
  reason: 'alasan',
  note: 'catatan',
  resolution: 'keputusan',
  username: 'nama pengguna',
  password: 'kata sandi',
  role: 'peran',
};

/** An input field as a person reads it: its Indonesian name, or undefined when it has none here. */
export function fieldName(field: string | undefined): string | undefined {
  if (!field) return undefined;
  const last = field.split('.').pop() ?? field;
  return FIELD[field] ?? FIELD[last];
}

/** The refusals a page can show, by the API's error code (api/core/errors' codes). */
const MESSAGE: Record<string, string> = {
  unauthorized: 'Silakan masuk terlebih dahulu.',
  'token-revoked': 'Sesi ini sudah berakhir; silakan masuk lagi.',
  forbidden: 'Data ini di luar wewenang akun Anda.',
  'invalid-input': 'Isian atau alamat halaman ini tidak dapat dibaca.',
  'invalid-json': 'Isi permintaan tidak dapat dibaca.',
  'payload-too-large': 'Berkas atau isian terlalu besar.',
  'unsupported-media-type': 'Jenis berkas ini tidak diterima.',
  'invalid-csv': 'Sebagian baris berkas tidak dapat dibaca; tidak ada yang diimpor.',
  'region-required': 'Pilih wilayah terlebih dahulu.',
  'missing-parameter': 'Lengkapi isian laporan ini (tanggal, bulan, wilayah atau pasar).',
  'number-alone': 'Nomor dokumen sudah menunjuk satu dokumen; jangan isi yang lain.',
  'market-not-in-region': 'Pasar itu bukan pasar wilayah ini.',
  'as-of-in-future': 'Tanggal itu belum tiba di wilayah ini.',
  'future-date': 'Tanggal ini belum tiba; rekonsiliasi hanya untuk hari ini atau sebelumnya.',
  'paid-at-in-future': 'Waktu pembayaran ada di masa depan; periksa jam terminal.',
  'not-reconciled': 'Tanggal ini belum direkonsiliasi; jalankan rekonsiliasi tanggal ini terlebih dahulu.',
  'already-matched': 'Pembayaran atau baris bank itu sudah berpasangan.',
  'exception-not-open': 'Selisih ini sudah diselesaikan; muat ulang halaman.',
  'decision-does-not-fit': 'Keputusan itu tidak sesuai dengan jenis selisih ini.',
  'not-a-candidate': 'Pilihan itu bukan salah satu pasangan yang ditawarkan untuk selisih ini.',
  'acquirer-mismatch': 'Pembayaran dan baris bank itu dari bank yang berbeda.',
  'payment-required': 'Pilih pembayaran yang dipasangkan dengan baris bank ini.',
  'payment-not-found': 'Pembayaran itu tidak ada di wilayah ini.',
  'settlement-line-required': 'Pilih baris bank yang dipasangkan dengan pembayaran ini.',
  'settlement-line-not-found': 'Baris bank itu tidak ada di wilayah ini.',
  'stall-required': 'Pilih tempat usaha yang dibayar dengan transaksi ini.',
  'stall-not-found': 'Tempat usaha itu tidak ada di wilayah ini.',
  'stall-not-occupied': 'Tempat usaha ini tidak ditempati pedagang pada tanggal itu.',
  'stall-outside-scope': 'Tempat usaha ini di luar wewenang akun Anda.',
  'terminal-required': 'Terminal transaksi ini tidak dikenal; pilih tempat usaha lain.',
  'terminal-market-mismatch': 'Terminal itu bukan terminal pasar tempat usaha yang dipilih.',
  'unknown-acquirer': 'Bank itu tidak dikenal di wilayah ini.',
  'unknown-source': 'Sumber berkas itu tidak dikenal di wilayah ini.',
  'settlement-file-refused': 'Berkas bank ini memuat nomor kartu lengkap; berkas ditolak.',
  'settlement-line-conflict': 'Berkas bank ini mengubah baris yang sudah diterima sebelumnya.',
  'statement-conflict': 'Rekening koran ini mengubah baris yang sudah diterima sebelumnya.',
  'duplicate-payment': 'Pembayaran ini sudah tercatat.',
  'full-pan-refused': 'Nomor kartu lengkap tidak boleh dikirim.',
  'not-approved': 'Bank tidak menyetujui transaksi ini.',
  'nothing-owed': 'Tempat usaha ini tidak mempunyai tagihan.',
  'nothing-today': 'Tidak ada tagihan hari ini.',
  'qris-limit': 'Satu transaksi QRIS paling banyak Rp 10.000.000 (ketentuan Bank Indonesia).',
  'qris-not-configured': 'Pembayaran QRIS belum disiapkan untuk wilayah ini.',
  'acquirer-bad-qr': 'Bank mengirim kode QRIS yang tidak dapat dipakai; coba lagi sebentar lagi.',
  'too-many-attempts': 'Terlalu banyak percobaan; coba lagi nanti.',
  'too-many-codes-from-address': 'Terlalu banyak kode QRIS dibuat dari alamat ini; coba lagi nanti.',
  'too-many-live-codes':
    'Tempat usaha ini sudah mempunyai kode QRIS yang masih berlaku; bayar atau tunggu sampai kedaluwarsa.',
  'credentials-changed': 'Akun ini berubah saat kata sandinya diganti; coba lagi.',
  'tariff-already-ended': 'Tarif ini sudah berakhir.',
  'tenancy-already-ended': 'Penempatan ini sudah berakhir.',
  'assignment-already-ended': 'Penugasan terminal ini sudah berakhir.',
  'database-unavailable': 'Sistem sedang bermasalah; coba lagi sebentar lagi.',
  'outcome-unknown': 'Sambungan ke basis data terputus; periksa dahulu apakah permintaan ini sudah tercatat.',
  internal: 'Sistem sedang bermasalah; coba lagi sebentar lagi.',
};

/** Words of English no Indonesian message of ours has (the API's messages and zod's all do). */
const ENGLISH_MARKER =
  /(?<![\w-])(the|is|are|be|not|no longer|of|to|at|in|on|an|has|have|this|that|these|only|must|should|found|required|invalid|unknown|already|outside|scope|expected|received|string|number|field|give|send|name|enum|value|character|characters|authentication|internal|error)(?![\w-])/i;

/** Whether a message reads as the pages write theirs, in Indonesian (no English word in it). */
export function readsIndonesian(message: string | undefined): boolean {
  return !!message && !ENGLISH_MARKER.test(message);
}

/**
 * A refusal as a person reads it, never the API's English message: a page service's own message
 * when it is written in Indonesian ("wilayah ini di luar wewenang Anda"), otherwise the words for
 * its code; a "<thing> not found" names the thing. Undefined when the code has no words here: the
 * page then says what its status means, and shows the code.
 */
export function messageOf(e: { code: string; message: string }): string | undefined {
  if (readsIndonesian(e.message)) return e.message;
  if (e.code === 'not-found') {
    const what = / not found$/.exec(e.message) ? e.message.slice(0, -' not found'.length) : undefined;
    return `${(what !== undefined && THING[what]) || 'Data'} tidak ditemukan.`;
  }
  return MESSAGE[e.code];
}
