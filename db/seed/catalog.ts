// The fixed part of the demo: two regions, their markets, banks and tariffs. Stalls, traders and
// tenancies are generated from these plans (generate.ts). Perda numbers, accounts and bank ids are
// illustrative, not the regions' real ones.
import { BANJAR, JAVA, type NameBook } from './names';

export type StallKind = 'kios' | 'los' | 'pelataran';
export type MarketClass = 'I' | 'II' | 'III';

export interface MarketPlan {
  code: string;
  name: string;
  class: MarketClass;
  address: string;
  /** ISO weekdays, 1 = Monday. */
  openDays: number[];
  stalls: Record<StallKind, number>;
}

export interface AcquirerPlan {
  code: string;
  name: string;
  channel: 'card' | 'qris';
  /** Fraction of gross, as the bank's contract writes it. */
  mdrRate: string;
  /** How the bank computes the fee: its EDC files (BNI's layout) fix it per line, half up to the rupiah */
  mdrBasis?: 'per-line' | 'per-group';
  mdrRounding?: 'sen' | 'rupiah';
  merchantName?: string; // EMVCo tag 59, at most 25 characters
  merchantCity?: string; // EMVCo tag 60, at most 15 characters
  nmid?: string; // QRIS National Merchant ID
  qrisGlobalId?: string; // EMVCo tag 26/00: the acquirer's reverse-domain id
  qrisMerchantPan?: string; // EMVCo tag 26/01: NNS + merchant number + check digit
  postalCode?: string; // EMVCo tag 61
}

export interface RegionPlan {
  code: string;
  name: string;
  timeZone: string;
  treasuryBank: string;
  treasuryAccount: string;
  allowCash: boolean;
  legalBasis: string;
  tariffsFrom: string;
  /** Rp per m² per day for kios and los, Rp flat per day for pelataran, by market class. */
  rates: Record<StallKind, Record<MarketClass, string>>;
  names: NameBook;
  /** The first six NIK digits: province, regency/city and district codes of where traders live. */
  nikPrefixes: string[];
  acquirers: AcquirerPlan[];
  markets: MarketPlan[];
}

export const STALL_KINDS: StallKind[] = ['kios', 'los', 'pelataran'];
export const MARKET_CLASSES: MarketClass[] = ['I', 'II', 'III'];

/** Days every demo market was closed (no assessment is made on them). */
export const DEMO_CLOSURES = [
  { date: '2026-03-20', reason: 'Hari Raya Idul Fitri 1447 H' },
  { date: '2026-03-21', reason: 'Hari Raya Idul Fitri 1447 H' },
];

const range = (prefix: string, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${String(from + i).padStart(2, '0')}`);

export const DEMO_REGIONS: RegionPlan[] = [
  {
    code: 'MGL',
    name: 'Kota Magelang',
    timeZone: 'Asia/Jakarta',
    treasuryBank: 'Bank Jateng',
    treasuryAccount: '2001001234',
    allowCash: false,
    legalBasis: 'Perda Kota Magelang No. 5 Tahun 2023',
    tariffsFrom: '2024-01-01',
    rates: {
      kios: { I: '500', II: '400', III: '300' },
      los: { I: '400', II: '300', III: '250' },
      pelataran: { I: '2000', II: '1500', III: '1000' },
    },
    names: JAVA,
    // Kota Magelang (3371) and the surrounding Kabupaten Magelang (3308).
    nikPrefixes: [...range('3371', 1, 3), ...range('3308', 1, 21)],
    acquirers: [
      {
        code: 'bpd-jateng-card-mgl',
        name: 'Bank Jateng - EDC Kartu Debit',
        channel: 'card',
        mdrRate: '0.0015',
        mdrBasis: 'per-line',
        mdrRounding: 'rupiah',
      },
      {
        code: 'bpd-jateng-qris-mgl',
        name: 'Bank Jateng - QRIS',
        channel: 'qris',
        mdrRate: '0',
        merchantName: 'RETRIBUSI PASAR MAGELANG',
        merchantCity: 'MAGELANG',
        nmid: 'ID1023271450331',
        qrisGlobalId: 'ID.CO.BANKJATENG.WWW',
        qrisMerchantPan: '936001130000123456',
        postalCode: '56117',
      },
    ],
    markets: [
      {
        code: 'RJW',
        name: 'Pasar Rejowinangun',
        class: 'I',
        address: 'Rejowinangun Utara, Magelang Tengah, Kota Magelang',
        openDays: [1, 2, 3, 4, 5, 6, 7],
        stalls: { kios: 200, los: 300, pelataran: 150 },
      },
      {
        code: 'CCB',
        name: 'Pasar Cacaban',
        class: 'II',
        address: 'Cacaban, Magelang Tengah, Kota Magelang',
        openDays: [1, 2, 3, 4, 5, 6, 7],
        stalls: { kios: 120, los: 200, pelataran: 100 },
      },
      {
        // A small neighbourhood market that closes on Sundays.
        code: 'GTR',
        name: 'Pasar Gotong Royong',
        class: 'III',
        address: 'Gelangan, Magelang Tengah, Kota Magelang',
        openDays: [1, 2, 3, 4, 5, 6],
        stalls: { kios: 60, los: 140, pelataran: 100 },
      },
    ],
  },
  {
    code: 'BJR',
    name: 'Kabupaten Banjar',
    timeZone: 'Asia/Makassar',
    treasuryBank: 'Bank Kalsel',
    treasuryAccount: '0010105678',
    // Banjar is still moving its collectors off cash.
    allowCash: true,
    legalBasis: 'Perda Kabupaten Banjar No. 7 Tahun 2023',
    tariffsFrom: '2024-01-01',
    rates: {
      kios: { I: '600', II: '450', III: '350' },
      los: { I: '450', II: '350', III: '250' },
      pelataran: { I: '2500', II: '2000', III: '1500' },
    },
    names: BANJAR,
    // Kabupaten Banjar (6303) and Kota Banjarbaru (6372) next door.
    nikPrefixes: [...range('6303', 1, 20), ...range('6372', 1, 5)],
    acquirers: [
      {
        code: 'bank-kalsel-card-bjr',
        name: 'Bank Kalsel - EDC Kartu Debit',
        channel: 'card',
        mdrRate: '0.0015',
        mdrBasis: 'per-line',
        mdrRounding: 'rupiah',
      },
      {
        code: 'bank-kalsel-qris-bjr',
        name: 'Bank Kalsel - QRIS',
        channel: 'qris',
        mdrRate: '0',
        merchantName: 'RETRIBUSI PASAR BANJAR',
        merchantCity: 'MARTAPURA',
        nmid: 'ID1023309812647',
        qrisGlobalId: 'ID.CO.BANKKALSEL.WWW',
        qrisMerchantPan: '936001220000654321',
        postalCode: '70614',
      },
    ],
    markets: [
      {
        code: 'MTP',
        name: 'Pasar Martapura',
        class: 'I',
        address: 'Jawa, Martapura, Kabupaten Banjar',
        openDays: [1, 2, 3, 4, 5, 6, 7],
        stalls: { kios: 220, los: 280, pelataran: 160 },
      },
    ],
  },
];
