// Our simulator's banks write the real layouts column for column (BNI's BND350 CSV, Mandiri's
// merchant statement), with the real quirks and the banks' own MDR rounding, and the importers read
// them back to what the simulated acquirer booked. Compared with the real files in
// ../shared/conformance/settlement, read at test time.
import Decimal from 'decimal.js';
import { parse } from 'csv-parse/sync';
import { parseSettlement } from '../../api/reconcile/importers/settlement-parse';
import { parseStatementText } from '../../api/reconcile/bank-file-text';
import { BNI_COLUMNS, writeBniSettlementCsv } from '../../terminal-sim/banks/files/bni-settlement-csv';
import {
  MANDIRI_DETAIL_COLUMNS,
  MANDIRI_SUMMARY_COLUMNS,
  writeMandiriMerchantStatement,
} from '../../terminal-sim/banks/files/mandiri-merchant-statement';
import type { SettlementLine } from '../../terminal-sim/banks/types';
import { make } from './bank-files-support';
import { readConformanceText } from '../support/conformance-dir';
import { simulatedDay, SIM_QRIS, type SimulatedBankDay } from './simulated-bank-day';
import type { BankFile } from '../../terminal-sim/banks/manifest';
import { addDays } from '../../terminal-sim/clock';

const money = (v: string) => {
  const d = new Decimal(v);
  return d.decimalPlaces() <= 2 ? d.toFixed(2) : d.toFixed();
};
const rows = (text: string) => parse(text, { relax_column_count: true }) as string[][];
const halfUp = (d: Decimal) => d.toDecimalPlaces(0, Decimal.ROUND_HALF_UP);

const BNI_REAL = ['cashlez_bni_debit_20200521.csv', 'cashlez_bni_kredit_20200521.csv'];
const MANDIRI_REAL = 'cashlez_mandiri_merchant_statement_GROUP-07198-2020-05-22.csv';

/** The Mandiri sheet cut at its section labels. */
function sections(text: string) {
  const all = rows(text);
  const at = (label: string) => all.findIndex((r) => r[0] === label);
  const detailEnd = all.findIndex((r, i) => i > at('DETAIL') && r[0] === 'TOTAL');
  return {
    labels: all
      .filter((r) => r.length === 1 || ['TOTAL', 'Payment Date', 'Group', 'Group Name'].includes(r[0]))
      .map((r) => r[0]),
    detailHeader: all[at('DETAIL') + 1],
    detail: all.slice(at('DETAIL') + 2, detailEnd),
    detailTotal: all[detailEnd],
    summaryHeader: all[at('SUMMARY GROUP') + 1],
    summary: all.slice(at('SUMMARY GROUP') + 2, all.length - 1),
    summaryTotal: all[all.length - 1],
  };
}

/** A card sale, a domestic debit card with a fractional MDR, a QRIS payment, a Visa in another batch. */
const LINES: SettlementLine[] = [
  make.line(),
  make.line({
    rrn: '633012000146',
    approvalCode: 'R23334',
    maskedPan: '601900******7079',
    gross: '15000',
    mdr: '22.5',
    net: '14977.5',
    terminalBatch: '7',
  }),
  make.qrisLine(),
  make.line({
    rrn: '633012000150',
    tid: '90807102',
    approvalCode: '005257',
    maskedPan: '451249******9867',
    gross: '250000',
    mdrRate: '0.018',
    mdr: '4500',
    net: '245500',
    batch: '67379',
    transactionDate: '2026-11-23',
  }),
];

/** What any layout must give back for a line the simulator wrote; no card layout carries an RRN. */
function identity(line: SettlementLine) {
  return {
    tid: line.tid,
    mid: line.mid,
    approvalCode: line.approvalCode,
    maskedPan: line.maskedPan,
    transactionDate: line.transactionDate,
    settlementDate: line.settlementDate,
    batch: line.batch,
    gross: money(line.gross),
  };
}

describe('BNI settlement CSV written by the simulator', () => {
  const file = parseSettlement(writeBniSettlementCsv(make.meta(), LINES));

  test('reads back every line with its ids, dates, amounts and rate as the acquirer booked them, and no RRN', () => {
    expect(file.format).toBe('bni');
    expect(file.lines.map((l) => l.lineNumber)).toEqual([2, 3, 4, 5]);
    file.lines.forEach((parsed, i) => {
      const line = LINES[i];
      expect(parsed).toMatchObject({
        ...identity(line),
        mdr: money(line.mdr),
        net: money(line.net),
        mdrRate: line.mdrRate,
      });
      expect(parsed.rrn).toBeUndefined();
    });
  });

  test('with the RRN option on, the RRN column is read back too', () => {
    const withRrn = parseSettlement(writeBniSettlementCsv(make.meta({ settlementRrn: true }), LINES));
    expect(withRrn.lines.map((l) => l.rrn)).toEqual(LINES.map((l) => l.rrn));
  });

  test("keeps BNI's zero-padded OB as the terminal batch and one settlement date for the file", () => {
    expect(file.lines.map((l) => l.terminalBatch)).toEqual(['00001', '00007', '00001', '00001']);
    expect(file).toMatchObject({ merchantId: '2122008903', settlementDate: '2026-11-25' });
    expect(file.totals).toEqual({ count: 4, gross: '505500.00', mdr: '4872.50', otherFees: '0.00', net: '500627.50' });
  });
});

describe('Mandiri merchant statement written by the simulator', () => {
  const meta = make.meta({ acquirerCode: 'MANDIRI' });
  const file = parseSettlement(writeMandiriMerchantStatement(meta, LINES));

  test('reads back every detail line with its ids, dates and gross, and no RRN unless asked', () => {
    expect(file).toMatchObject({ format: 'mandiri', merchantId: meta.mid, settlementDate: meta.settlementDate });
    file.lines.forEach((parsed, i) => {
      expect(parsed).toMatchObject({
        ...identity(LINES[i]),
        terminalBatch: LINES[i].terminalBatch ?? '1',
        mdrAllocated: true,
      });
      expect(parsed.rrn).toBeUndefined();
    });
    const withRrn = parseSettlement(writeMandiriMerchantStatement({ ...meta, settlementRrn: true }, LINES));
    expect(withRrn.lines.map((l) => l.rrn)).toEqual(LINES.map((l) => l.rrn));
  });

  test('each MID x network x batch group charges the MDR of its total, half up to the rupiah', () => {
    expect(file.feeGroups?.map((g) => [g.network, g.batch, g.mdr, g.lines])).toEqual([
      ['M', '67377', '350.00', [7]],
      ['N', '67377', '23.00', [8]],
      ['Q', '67378', '0.00', [9]],
      ['V', '67379', '4500.00', [10]],
    ]);
    expect(file.totals).toEqual({ count: 4, gross: '505500.00', mdr: '4873.00', otherFees: '0.00', net: '500627.00' });
  });

  test('lines sharing a group: the fee is rounded once on the group, not line by line', () => {
    // 3 x 5000 at 0.15 %: 7.5 each would round to 8 + 8 + 8 = 24; Mandiri charges 22.5 -> 23.
    const shared = ['1', '2', '3'].map((rrn) => make.line({ rrn, gross: '5000', mdr: '7.5', net: '4992.5' }));
    const parsed = parseSettlement(writeMandiriMerchantStatement(meta, shared));
    expect(parsed.feeGroups?.map((g) => [g.gross, g.mdr, g.net])).toEqual([['15000.00', '23.00', '14977.00']]);
    expect(parsed.totals.mdr).toBe('23.00');
  });
});

// ---- A whole simulated bank day, faults and all, through the real layouts ----

const DATE = '2026-11-24';
const FAULTS = {
  'lost-queue': 1,
  unsettled: 1,
  'amount-mismatch': 1,
  'duplicate-line': 1,
  'short-credit': 1,
  'late-settlement': 1,
};

describe('a simulated day at the banks', () => {
  let day: SimulatedBankDay;
  let bni: BankFile[];
  let mandiri: BankFile[];
  beforeAll(async () => {
    day = await simulatedDay(DATE, FAULTS);
    bni = day.files.filter((f) => f.format === 'bni-settlement-csv');
    mandiri = day.files.filter((f) => f.format === 'mandiri-merchant-statement');
  });
  const fault = (kind: string) =>
    day.manifest.faults.find((f) => f.kind === kind)! as Record<string, unknown> & { kind: string };

  test('writes a card (BNI) and a QRIS (Mandiri) file for D+1 and D+2, and a statement each day', () => {
    expect(bni.map((f) => f.date)).toEqual([addDays(DATE, 1), addDays(DATE, 2)]);
    expect(mandiri.map((f) => f.date)).toEqual([addDays(DATE, 1)]);
    expect(day.files.filter((f) => f.kind === 'statement').map((f) => f.date)).toEqual([
      addDays(DATE, 1),
      addDays(DATE, 2),
    ]);
    expect(day.manifest.notInjected).toEqual([]);
  });

  test.each(BNI_REAL)('BNI: exactly the header of the real %s, no RRN, STOP as the last line, CRLF', (real) => {
    const realRows = rows(readConformanceText('settlement', real));
    for (const f of bni) {
      const ours = rows(f.content);
      expect(ours[0]).toEqual(realRows[0]);
      expect(ours[0]).toEqual([...BNI_COLUMNS]);
      expect(ours.slice(1, -1).every((r) => r.length === realRows[0].length)).toBe(true);
      expect(ours[ours.length - 1]).toEqual(realRows[realRows.length - 1]);
      expect(f.content.endsWith('\r\nSTOP\r\n')).toBe(true);
      expect(f.content.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    }
  });

  test('BNI: DISC AMOUNT is AMOUNT x RATE % half up to the whole rupiah, per line; NETT = AMOUNT - DISC', () => {
    const body = bni.flatMap((f) => rows(f.content).slice(1, -1));
    const col = (name: string) => BNI_COLUMNS.indexOf(name as (typeof BNI_COLUMNS)[number]);
    let halves = 0;
    for (const r of body) {
      const amount = new Decimal(r[col('AMOUNT')]);
      const exact = amount.times(r[col('RATE')]).dividedBy(100);
      if (exact.minus(exact.floor()).eq(0.5)) halves++;
      expect([r[col('DISC AMOUNT')], r[col('NETT AMOUNT')]]).toEqual([
        halfUp(exact).toFixed(),
        amount.minus(halfUp(exact)).toFixed(),
      ]);
      expect(r[col('PROC DATE')]).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    }
    // 135000 x 0.15 % = 202.5 -> 203 and the like: the rounding is exercised, not just whole fees.
    expect(halves).toBeGreaterThan(0);
  });

  test('BNI: (TID, TRX DATE, AUTH) is unique but for the duplicate-line fault; (TID, TRX DATE, AMOUNT) repeats', () => {
    const body = bni.flatMap((f) => rows(f.content).slice(1, -1));
    const count = (key: (r: string[]) => string) =>
      body.reduce((m, r) => m.set(key(r), (m.get(key(r)) ?? 0) + 1), new Map<string, number>());
    const byAuth = count((r) => `${r[10]}|${r[6]}|${r[7]}`);
    const dup = fault('duplicate-line');
    expect(dup.channel).toBe('card');
    const [d, m, y] = DATE.split('-').reverse();
    expect([...byAuth].filter(([, n]) => n > 1)).toEqual([[`${dup.tid}|${d}/${m}/${y}|${dup.approvalCode}`, 2]]);
    expect([...count((r) => `${r[10]}|${r[6]}|${r[9]}`).values()].some((n) => n > 1)).toBe(true);
    // The bank's own key (MID, OB, GB, SEQ) stays unique: the duplicate has the next SEQ.
    expect(count((r) => `${r[1]}|${r[2]}|${r[3]}|${r[4]}`).size).toBe(body.length);
    expect((dup.rows as { seq: string }[]).map((k) => k.seq)).toHaveLength(2);
    expect(new Set((dup.rows as { seq: string }[]).map((k) => k.seq)).size).toBe(2);
  });

  test('approval codes are six characters, leading zeros kept, some starting with a letter', () => {
    const codes = bni.flatMap((f) =>
      rows(f.content)
        .slice(1, -1)
        .map((r) => r[7]),
    );
    expect(codes.every((c) => /^[A-Z0-9]\d{5}$/.test(c))).toBe(true);
    const letters = codes.filter((c) => /^[A-Z]/.test(c)).length / codes.length;
    expect(letters).toBeGreaterThan(0.08);
    expect(letters).toBeLessThan(0.3);
    expect(codes.some((c) => c.startsWith('0'))).toBe(true);
  });

  test('Mandiri: the real sections, labels, headers and TOTAL rows; RRN in DETAIL only, the QRIS acquirer having it on', () => {
    const real = sections(readConformanceText('settlement', MANDIRI_REAL));
    for (const f of mandiri) {
      const ours = sections(f.content);
      expect(ours.labels).toEqual(real.labels);
      expect(real.detailHeader).toEqual([...MANDIRI_DETAIL_COLUMNS]);
      expect(ours.detailHeader).toEqual([...real.detailHeader, 'RRN']);
      expect(ours.summaryHeader).toEqual(real.summaryHeader);
      expect(ours.summaryHeader).toEqual([...MANDIRI_SUMMARY_COLUMNS]);
      expect([ours.detailTotal.length, ours.summaryTotal.length]).toEqual([
        real.detailTotal.length,
        real.summaryTotal.length,
      ]);
      expect(f.content.startsWith('MERCHANT STATEMENT\r\nPayment Date,')).toBe(true);
    }
  });

  test('Mandiri: MDR per summary group, half up to the rupiah on its total; NET = TOT - MDR; detail total = summary total', () => {
    for (const f of mandiri) {
      const s = sections(f.content);
      const detailSum = new Map<string, Decimal>();
      for (const r of s.detail) {
        const key = [r[0], r[5], r[14]].join('|');
        detailSum.set(key, (detailSum.get(key) ?? new Decimal(0)).plus(r[17]));
      }
      expect(s.summary).toHaveLength(detailSum.size);
      for (const r of s.summary) {
        const [tot, mdr, net] = [new Decimal(r[11]), new Decimal(r[12]), new Decimal(r[13])];
        expect(detailSum.get([r[0], r[5], r[10]].join('|'))?.toFixed()).toBe(tot.toFixed());
        expect(mdr.toFixed()).toBe(halfUp(tot.times(SIM_QRIS.mdrRate)).toFixed());
        expect(tot.minus(mdr).toFixed()).toBe(net.toFixed());
      }
      expect(s.detailTotal[17]).toBe(s.summaryTotal[11]);
      const lineByLine = s.detail.reduce(
        (acc, r) => acc.plus(halfUp(new Decimal(r[17]).times(SIM_QRIS.mdrRate))),
        new Decimal(0),
      );
      expect(s.summaryTotal[12]).not.toBe(lineByLine.toFixed());
    }
  });

  test('the treasury credits each batch exactly the net its file states, but the short-credited one', () => {
    const short = fault('short-credit');
    const stated = new Map<string, Decimal>();
    for (const f of [...bni, ...mandiri]) {
      for (const l of parseSettlement(f.content).lines)
        stated.set(l.batch!, (stated.get(l.batch!) ?? new Decimal(0)).plus(l.net));
    }
    const credited = new Map<string, string>();
    for (const f of day.files.filter((x) => x.kind === 'statement')) {
      for (const s of parseStatementText(f.content)) for (const e of s.entries) credited.set(e.reference!, e.amount);
    }
    expect([...credited.keys()].sort()).toEqual([...stated.keys()].sort());
    for (const [batch, net] of stated) {
      const expected = batch === short.batch ? net.minus(short.difference as string) : net;
      expect({ batch, credited: money(credited.get(batch)!) }).toEqual({ batch, credited: money(expected.toFixed()) });
    }
    expect(short.expectedNet).toBe(stated.get(short.batch as string)!.toFixed(2));
  });

  test('the manifest names each card fault by what the files carry: TID, date, approval code, EDC batch and row', () => {
    for (const f of day.manifest.faults.filter((x) => x.channel === 'card' && x.kind !== 'short-credit')) {
      expect(f).toMatchObject({
        tid: expect.any(String),
        approvalCode: expect.stringMatching(/^[A-Z0-9]{6}$/),
        terminalBatch: expect.stringMatching(/^\d{1,6}$/),
      });
    }
    const lost = fault('lost-queue');
    const file = day.files.find((x) => x.name === lost.file)!;
    expect(file.content).toContain(`,${lost.approvalCode},`);
    const unsettled = fault('unsettled');
    if (unsettled.channel === 'card') {
      expect(day.files.find((x) => x.name === unsettled.missingFrom)!.content).not.toContain(
        `,${unsettled.approvalCode},`,
      );
    }
    const mismatch = fault('amount-mismatch');
    expect(mismatch.settledGross).not.toBe(mismatch.amount);
  });

  test('the terminal sends its EDC batch (shown in OB / TIDBATCH) and an invoice number counting up in the batch', () => {
    const bodies = day.cardBodies;
    expect(bodies.length).toBeGreaterThan(100);
    for (const tid of new Set(bodies.map((b) => b.card.tid))) {
      const mine = bodies.filter((b) => b.card.tid === tid);
      expect(new Set(mine.map((b) => b.card.batch)).size).toBe(1);
      const invoices = mine.map((b) => Number(b.card.invoice));
      expect(invoices).toEqual([...invoices].sort((a, b) => a - b));
      expect(mine.every((b) => /^\d{6}$/.test(b.card.invoice!) && /^\d{1,6}$/.test(b.card.batch!))).toBe(true);
    }
    const ob = new Map(
      bni.flatMap((f) =>
        rows(f.content)
          .slice(1, -1)
          .map((r) => [`${r[10]}|${r[7]}`, r[2]] as const),
      ),
    );
    for (const b of bodies) {
      const written = ob.get(`${b.card.tid}|${b.card.approvalCode}`);
      if (written !== undefined) expect(Number(written)).toBe(Number(b.card.batch));
    }
  });
});

describe('consecutive simulated days', () => {
  let first: SimulatedBankDay;
  let second: SimulatedBankDay;
  beforeAll(async () => {
    first = await simulatedDay(DATE, { 'late-settlement': 1 });
    second = await simulatedDay(addDays(DATE, 1), {});
  });
  const statements = (d: SimulatedBankDay) => d.files.filter((f) => f.kind === 'statement');

  test("two days' statements of one account and date (a late D+2 and the next day's D+1) have distinct ids", () => {
    const sharedDate = addDays(DATE, 2);
    const a = statements(first).find((f) => f.date === sharedDate)!;
    const b = statements(second).find((f) => f.date === sharedDate)!;
    const [sa, sb] = [parseStatementText(a.content)[0], parseStatementText(b.content)[0]];
    expect(sa.account).toBe(sb.account);
    expect(sa.statementId).not.toBe(sb.statementId);
    const allIds = [...statements(first), ...statements(second)].map(
      (f) => parseStatementText(f.content)[0].statementId,
    );
    expect(new Set(allIds).size).toBe(allIds.length);
  });

  test('the same day simulated again writes the same statement ids and bytes', async () => {
    const again = await simulatedDay(DATE, { 'late-settlement': 1 });
    expect(statements(again).map((f) => f.content)).toEqual(statements(first).map((f) => f.content));
  });

  test('settlement batch ids never repeat across the two days', () => {
    const batches = (d: SimulatedBankDay) =>
      new Set(d.files.filter((f) => f.kind === 'settlement').flatMap((f) => f.lines!.map((l) => l.batch)));
    const [a, b] = [batches(first), batches(second)];
    expect([...a].filter((x) => b.has(x))).toEqual([]);
    expect(a.size).toBeGreaterThan(2);
  });

  test('the EDC batch moves on by one from one day to the next', () => {
    const ob = (d: SimulatedBankDay) => new Map(d.cardBodies.map((b) => [b.card.tid, Number(b.card.batch)]));
    const [a, b] = [ob(first), ob(second)];
    for (const [tid, n] of a) expect(b.get(tid)).toBe((n % 999) + 1);
  });
});
