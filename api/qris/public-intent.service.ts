// A dynamic QRIS the trader makes on the stall's public page (behind the sticker's QR), without
// logging in: the same issueIntent as a terminal's code (acquirer, SNAP generate, codec,
// qris_intents), so the bank's notification pays it and the ledger allocates it exactly as it
// does a terminal's. Such a code has origin 'public', no terminal, the asking address in
// client_ip, and "WEB" as its terminal label. It supersedes nothing and a terminal's code does not
// supersede it.
//
// Anyone can open the page, so two limits keep it from being used in bulk, both counted in
// PostgreSQL under locks (several API instances, no memory of their own):
//   - at most QRIS_PUBLIC_LIVE_PER_STALL payable public codes per stall (counted under the stall's
//     lock): a further request is refused with 429 until one is paid or expires, rather than
//     superseding the oldest (which would let anyone cancel the code a trader is paying);
//   - at most QRIS_PUBLIC_PER_ADDRESS_PER_HOUR codes an hour from one client address in the region
//     (counted from qris_intents.client_ip under an advisory lock of that address).
// Refusals a trader reads are in Indonesian.
import type { Deps } from '../core/deps';
import { AppError, notFound, unprocessable } from '../core/errors';
import { formatMoney } from '../core/money';
import { findStallIn } from '../collection/collection.service';
import { qrPngDataUrl } from './codec/qr-image';
import type { PublicPart } from './public-intent.schemas';
import * as repo from './qris.repository';
import { intentState, issueIntent, type Owed } from './qris.service';

/** The payload's tag 62/07 (and SNAP's terminalId) of a code made on the public page. */
export const PUBLIC_TERMINAL_LABEL = 'WEB';

const HOUR_MS = 3_600_000;

/** Whether the stall's region takes QRIS at all (an acquirer of channel qris). */
export async function qrisOffered(deps: Deps, regionId: string): Promise<boolean> {
  return Boolean(await repo.qrisAcquirer(deps.knex, regionId));
}

export interface PublicCode {
  intentId: string;
  amount: string;
  expiresAt: Date;
  image: string;
}

/** Makes a code for the stall (found by the page from the sticker's code, never from the body). */
export async function createPublicIntent(
  deps: Deps,
  o: { stallId: string; part: PublicPart; clientIp: string },
): Promise<PublicCode> {
  const stall = await findStallIn(deps.knex, o.stallId);
  if (!stall) throw notFound('stall');
  const livePerStall = deps.config.QRIS_PUBLIC_LIVE_PER_STALL;
  const perHour = deps.config.QRIS_PUBLIC_PER_ADDRESS_PER_HOUR;
  try {
    const intent = await issueIntent(deps, {
      stall,
      origin: 'public',
      terminalId: null,
      terminalLabel: PUBLIC_TERMINAL_LABEL,
      clientIp: o.clientIp,
      amountOf: (owed, today) => (o.part === 'hari-ini' ? todayDue(owed, today) : undefined),
      guard: async (trx, now) => {
        await repo.lockClientAddress(trx, stall.region_id, o.clientIp);
        const asked = await repo.publicIntentsFromAddress(
          trx,
          stall.region_id,
          o.clientIp,
          new Date(now.getTime() - HOUR_MS),
        );
        if (asked.count >= perHour) {
          throw new AppError(
            429,
            'too-many-codes-from-address',
            `Sudah ${asked.count} kode QRIS dibuat dari alamat ini dalam satu jam terakhir. Coba lagi nanti.`,
            { retryAfterSeconds: secondsUntil(now, asked.first, HOUR_MS) },
          );
        }
        const live = await repo.livePublicIntents(trx, stall.region_id, stall.id, now);
        if (live.count >= livePerStall) {
          throw new AppError(
            429,
            'too-many-live-codes',
            `Los ini sudah mempunyai ${live.count} kode QRIS yang masih berlaku. Bayar salah satunya, atau tunggu hingga kedaluwarsa lalu coba lagi.`,
            { retryAfterSeconds: secondsUntil(now, live.firstExpiry, 0) },
          );
        }
      },
    });
    return {
      intentId: intent.id,
      amount: formatMoney(intent.amount),
      expiresAt: intent.expires_at,
      image: await qrPngDataUrl(intent.payload),
    };
  } catch (err) {
    throw inIndonesian(err);
  }
}

/** Today's open fee, for "hari ini saja": refused when today is not assessed or already paid. */
function todayDue(owed: Owed, today: string): string {
  const item = owed.items.find((i) => i.kind === 'principal' && i.businessDate === today);
  if (!item) throw unprocessable('nothing-today', 'nothing is open for today');
  return item.due;
}

const secondsUntil = (now: Date, from: Date | null, plusMs: number) =>
  from ? Math.max(1, Math.ceil((new Date(from).getTime() + plusMs - now.getTime()) / 1000)) : 60;

const MESSAGES: Record<string, string> = {
  'nothing-owed': 'Los ini tidak mempunyai tagihan yang harus dibayar.',
  'nothing-today': 'Tagihan hari ini sudah lunas atau memang tidak ada.',
  'stall-not-occupied': 'Tempat usaha ini sedang tidak ditempati; tidak ada tagihan.',
  'qris-not-configured': 'Pembayaran QRIS belum tersedia di pasar ini. Silakan bayar kepada petugas pasar.',
  'qris-limit':
    'Satu transaksi QRIS paling banyak Rp 10.000.000 (ketentuan Bank Indonesia). Pilih "hari ini saja" atau bayar kepada petugas pasar.',
};

/** The refusal as the trader reads it: the same status and code, the message in Indonesian. */
function inIndonesian(err: unknown): unknown {
  if (!(err instanceof AppError) || err.status === 429) return err;
  const message =
    MESSAGES[err.code] ??
    (err.status >= 502 && err.status <= 504
      ? 'Bank penerbit QRIS sedang tidak dapat dihubungi. Coba lagi sebentar lagi.'
      : err.status < 500
        ? 'Kode QRIS tidak dapat dibuat untuk los ini.'
        : undefined);
  return message ? new AppError(err.status, err.code, message, err.details) : err;
}

export interface PublicCodeState {
  status: 'pending' | 'paid' | 'expired' | 'superseded';
  amount: string;
  expiresAt: Date;
  /** while pending: the QR again (the page shown anew) */
  image?: string;
  payment?: {
    amount: string;
    paidAt: string;
    receipt: { serial: number; code: string };
    allocations: { kind?: 'principal' | 'penalty'; businessDate: string; monthNo?: number | null; amount: string }[];
    credit: string;
  };
}

/** Where a public code of this stall stands (a terminal's code or another stall's is not found):
 * its status and amount, and once paid its receipt and what it settled; nothing else. */
export async function publicIntentState(
  deps: Deps,
  o: { regionId: string; stallId: string; intentId: string; withImage?: boolean },
): Promise<PublicCodeState | undefined> {
  const found = await repo.findPublicIntent(deps.knex, o.regionId, o.stallId, o.intentId);
  if (!found) return undefined;
  const { intent, status, payment } = await intentState(deps, found);
  const p = payment as
    | {
        amount: string;
        paidAt: string;
        receipt: { serial: number; code: string };
        allocations: NonNullable<PublicCodeState['payment']>['allocations'];
        credit: string;
      }
    | undefined;
  return {
    status,
    amount: formatMoney(intent.amount),
    expiresAt: intent.expires_at,
    ...(status === 'pending' && o.withImage ? { image: await qrPngDataUrl(intent.payload) } : {}),
    ...(p
      ? {
          payment: {
            amount: formatMoney(p.amount),
            paidAt: p.paidAt,
            receipt: { serial: Number(p.receipt.serial), code: p.receipt.code },
            allocations: p.allocations ?? [],
            credit: formatMoney(p.credit ?? '0'),
          },
        }
      : {}),
  };
}
