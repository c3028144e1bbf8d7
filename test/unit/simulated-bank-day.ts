// A simulated market day at the banks without a server: three terminals take card payments through
// the simulator's own terminal code (EDC batch, invoice, offline queue and its loss), an API stand-in
// answers 201 and records what the terminals sent, a QRIS acquirer logs some payments, and the
// banks close the day (closeRegionDay) into their real-layout files, statements and manifest.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Decimal from 'decimal.js';
import { closeRegionDay } from '../../terminal-sim/banks/end-of-day';
import { CardAcquirer } from '../../terminal-sim/banks/card-acquirer';
import { QrisAcquirer } from '../../terminal-sim/banks/qris-acquirer';
import type { BankFile, Manifest } from '../../terminal-sim/banks/manifest';
import { payByCard, uploadJournal } from '../../terminal-sim/collector/card-flow';
import type { CardPaymentBody } from '../../terminal-sim/collector/journal';
import { TerminalSession } from '../../terminal-sim/collector/session';
import { emptyStats, Limiter, type DayContext } from '../../terminal-sim/day';
import type { ApiClient } from '../../terminal-sim/http';
import { resolveOptions, type AcquirerFileOptions, type FaultSpec } from '../../terminal-sim/options';
import type { ListedStall } from '../../terminal-sim/setup/provision';
import type { TerminalInfo } from '../../terminal-sim/setup/terminals';
import type { QrisAcquirerInfo, RegionInfo, AcquirerInfo } from '../../terminal-sim/setup/world';
import { localInstant } from '../../terminal-sim/clock';
import { pick } from '../../terminal-sim/rng';

export const SIM_CARD: AcquirerInfo = {
  id: 'a-card',
  code: 'sim-card',
  name: 'Bank Uji - EDC',
  mdrRate: '0.0015',
  merchantName: 'RETRIBUSI PASAR UJI',
  nmid: null,
};
/** QRIS to government is 0 % in the demo; 0.7 % here so Mandiri's per-group rounding has work to do. */
export const SIM_QRIS: QrisAcquirerInfo = {
  id: 'a-qris',
  code: 'sim-qris',
  name: 'Bank Uji - QRIS',
  mdrRate: '0.007',
  merchantName: 'RETRIBUSI PASAR UJI',
  nmid: 'ID1023271450331',
  secret: 'x',
};

const REGION: RegionInfo = {
  id: 'r-1',
  code: 'MGL',
  name: 'Kab Uji',
  timeZone: 'Asia/Jakarta',
  treasuryBank: 'Bank Jateng',
  treasuryAccount: '2001001234',
  card: SIM_CARD,
  qris: SIM_QRIS,
  markets: [{ id: 'm-1', code: 'PSR', name: 'Pasar Uji', regionCode: 'MGL' }],
};

const AMOUNTS = ['2000', '3000', '5000', '7500', '15000', '135000', '233000'];
/** 0.7 % of these leaves half a rupiah on most: rounding line by line and per group then differ. */
const QRIS_AMOUNTS = ['2500', '4500', '7500', '10000'];
const PER_TERMINAL = 60;

export interface SimulatedBankDay {
  files: BankFile[];
  manifest: Manifest;
  /** What the terminals sent the API for their card payments, in order */
  cardBodies: CardPaymentBody[];
}

export async function simulatedDay(
  date: string,
  faults: FaultSpec,
  acquirers: Record<string, AcquirerFileOptions> = {},
): Promise<SimulatedBankDay> {
  const opts = resolveOptions({
    api: 'http://sim.invalid',
    date,
    seed: 7,
    terminals: 3,
    faults,
    acquirers,
    rates: { timeout: 0, decline: 0.04 },
  });
  const cardBodies: CardPaymentBody[] = [];
  let paid = 0;
  // The terminals' calls are synchronous in effect: the stand-in answers at once, in order.
  const api = {
    request: async (_method: string, url: string, o: { json?: unknown }) => {
      if (url === '/api/v1/payments/batch') {
        const { payments } = o.json as { payments: CardPaymentBody[] };
        cardBodies.push(...payments);
        return {
          status: 200,
          text: '',
          body: {
            results: payments.map((p, index) => ({
              index,
              clientTxnId: p.clientTxnId,
              status: 201,
              body: { paymentId: `p${++paid}` },
            })),
          },
        };
      }
      cardBodies.push(o.json as CardPaymentBody);
      return { status: 201, text: '', body: { paymentId: `p${++paid}` } };
    },
  } as unknown as ApiClient;
  const card = new CardAcquirer(SIM_CARD, '507');
  const qris = new QrisAcquirer(SIM_QRIS, api, '507');
  const ctx: DayContext = {
    api,
    morningSync: new Limiter(1),
    opts,
    cardAcquirers: new Map([[REGION.code, card]]),
    qrisAcquirers: new Map([[REGION.code, qris]]),
    journalDir: mkdtempSync(path.join(tmpdir(), 'sim-bank-day-')),
    progress: { tick() {}, stop() {} },
    ledger: [],
    lost: [],
    delayed: [],
    lostQueueBudget: new Map(),
    stats: emptyStats(),
    errors: [],
  };
  const terminals: TerminalInfo[] = [0, 1, 2].map((k) => ({
    id: `MGL-PSR-0${k + 1}`,
    secret: 's',
    tid: `9080710${k + 1}`,
    mid: '2122008903',
    region: REGION,
    market: REGION.markets[0],
    ordinal: k,
    shareIndex: k,
    shareCount: 3,
  }));
  return { ...(await runDay(ctx, terminals, card, qris, date, faults)), cardBodies };
}

async function runDay(
  ctx: DayContext,
  terminals: TerminalInfo[],
  card: CardAcquirer,
  qris: QrisAcquirer,
  date: string,
  faults: FaultSpec,
) {
  for (const t of terminals) {
    const s = new TerminalSession(ctx, t);
    s.token = 'token';
    // The first terminal goes offline for its last stretch and, with lost-queue asked, loses one.
    if (t.ordinal === 0 && (faults['lost-queue'] ?? 0) > 0) ctx.lostQueueBudget.set(t.id, faults['lost-queue']!);
    for (let i = 0; i < PER_TERMINAL; i++) {
      const stall = { stallId: `stall-${t.ordinal}-${i % 25}` } as ListedStall;
      const amount = new Decimal(pick(s.rng, AMOUNTS));
      const at = localInstant(date, 7 * 3600 + i * 240 + t.ordinal * 17, t.region.timeZone);
      await payByCard(s, stall, amount, at, t.ordinal === 0 && i >= PER_TERMINAL - 5);
    }
    if (t.ordinal === 0) await uploadJournal(s);
    for (let i = 0; i < 8; i++) {
      const txn = {
        acquirerCode: SIM_QRIS.code,
        channel: 'qris' as const,
        tid: `QR${t.ordinal + 1}`,
        mid: SIM_QRIS.nmid!,
        rrn: `5079${t.ordinal}${String(i).padStart(7, '0')}`,
        issuer: 'DANA',
        reference: `RTB${t.ordinal}${String(i).padStart(8, '0')}`,
        transactedAt: localInstant(date, 9 * 3600 + i * 600 + t.ordinal, t.region.timeZone),
        transactionDate: date,
        gross: `${pick(s.rng, QRIS_AMOUNTS)}.00`,
      };
      qris.log.push(txn);
      ctx.ledger.push({
        channel: 'qris',
        region: REGION.code,
        terminalId: t.id,
        acquirerCode: SIM_QRIS.code,
        rrn: txn.rrn,
        stallId: 'q',
        amount: txn.gross,
        paymentId: txn.rrn,
        offline: false,
      });
    }
  }
  if (ctx.errors.length > 0) throw new Error(ctx.errors.join('; '));
  return closeRegionDay(ctx.opts, { region: REGION, terminals, card, qris, ledger: ctx.ledger, lost: ctx.lost });
}
