// The data behind three reports, from days built through the API: who took what per terminal
// (with a void, a QRIS payment and a terminal nobody carried), collections against the year's
// target at month boundaries, and a reconciled day with a real BNI file and MT940 statement.
// Expected figures are worked out by hand from the payments each test makes.
import request from 'supertest';
import type { Express } from 'express';
import { freshDb, type TestDb } from '../support/db';
import { testApp, tokenFor } from '../support/app';
import * as make from '../support/make';
import { cardScenario } from '../support/scenario';
import { pay } from '../support/pay';
import { notify, paidBody, QRIS_SECRET } from '../support/qris';
import { terminalPrincipal } from '../support/region-world';
import { make as bank } from '../unit/bank-files-support';
import type { Deps } from '../../api/core/deps';
import { AppError } from '../../api/core/errors';
import { businessDate } from '../../api/core/time';
import { importBankFile } from '../../api/reconcile/import.service';
import { reconcileDay } from '../../api/reconcile/reconcile.service';
import { resolveException } from '../../api/reconcile/resolve.service';
import { writeBniSettlementCsv } from '../../terminal-sim/banks/files/bni-settlement-csv';
import { writeMt940 } from '../../terminal-sim/banks/files/mt940';
import { dailyCollection, NO_COLLECTOR } from '../../reports/data/daily-collection';
import { monthlyRealisation } from '../../reports/data/monthly-realisation';
import { dailyReconciliation } from '../../reports/data/daily-reconciliation';
import { registerReport } from '../../reports/registry';
import { hariTanggal } from '../../reports/format';
import { dailyCollectionReport } from '../../reports/kinds/daily-collection';
import { dailyReconciliationReport } from '../../reports/kinds/daily-reconciliation';
import { monthlyRealisationReport } from '../../reports/kinds/monthly-realisation';
import type { Principal } from '../../api/auth/principal';
import { binaryParser, pdfText, rupiahValue } from '../support/pdf';
import { parse } from 'csv-parse/sync';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

for (const def of [dailyCollectionReport, dailyReconciliationReport, monthlyRealisationReport]) registerReport(def);

let t: TestDb;
let app: Express;
let deps: Deps;

beforeAll(async () => {
  t = await freshDb(20);
  ({ app, deps } = testApp(t.knex));
});
afterAll(() => t.drop());

type Terminal = Awaited<ReturnType<typeof make.terminal>>;

async function payCard(
  terminal: Terminal,
  stall: { id: string },
  amount: string,
  paidAt: string,
  rrn?: string,
): Promise<string> {
  const terminalToken = tokenFor(terminalPrincipal(terminal));
  return (await pay(app, { stall, terminal, terminalToken }, { amount, paidAt, rrn })).paymentId;
}

async function collector(regionId: string, marketId: string, name: string) {
  const u = await make.user(t.knex, 'collector', { regionId, marketId });
  await t.knex('users').where({ id: u.id }).update({ display_name: name });
  return u;
}

const assign = (regionId: string, terminalId: string, collectorId: string, from: string, to: string | null = null) =>
  t.knex('terminal_assignments').insert({
    region_id: regionId,
    terminal_id: terminalId,
    collector_id: collectorId,
    effective_from: from,
    effective_to: to,
  });

/** A report as the API hands it out, its text read back by poppler (-layout keeps a row on one
 * line). With REPORT_PDF_DIR set, the file is kept there to be looked at (pdftoppm). */
async function issued(
  kind: string,
  query: Record<string, string>,
  who: Principal,
): Promise<{ status: number; text: string; body: { error?: { code: string } } }> {
  const res = await request(app)
    .get(`/api/v1/reports/${kind}`)
    .query(query)
    .set('Authorization', `Bearer ${tokenFor(who)}`)
    .buffer(true)
    .parse(binaryParser as never);
  if (res.status !== 200)
    return { status: res.status, text: '', body: JSON.parse((res.body as Buffer).toString('utf8')) };
  const bytes = res.body as Buffer;
  if (process.env.REPORT_PDF_DIR) {
    mkdirSync(process.env.REPORT_PDF_DIR, { recursive: true });
    writeFileSync(path.join(process.env.REPORT_PDF_DIR, `${res.headers['x-document-number']}-${kind}.pdf`), bytes);
  }
  return { status: 200, text: pdfText(bytes, { layout: true }).text, body: {} };
}

async function csvOf(kind: string, query: Record<string, string>, who: Principal): Promise<string[][]> {
  const res = await request(app)
    .get(`/api/v1/reports/${kind}`)
    .query({ ...query, format: 'csv' })
    .set('Authorization', `Bearer ${tokenFor(who)}`);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/csv/);
  return parse(res.text) as string[][];
}

/** The rupiah amounts on the first line of the PDF text that starts with `label`, as plain decimals. */
function amountsOn(text: string, label: string): string[] {
  const line = text.split('\n').find((l) => l.trim().startsWith(label));
  if (!line) throw new Error(`no line starts with ${label}`);
  return (line.match(/-?Rp [\d.]+(?:,\d{2})?/g) ?? []).map(rupiahValue);
}

const cs = (count: number, amount: string) => ({ count, amount });
const none = cs(0, '0.00');

describe('daily collection per collector and terminal', () => {
  // Today, because a void is allowed only on the payment's own business day.
  let w: Awaited<ReturnType<typeof collectionDay>>;
  beforeAll(async () => {
    w = await collectionDay();
  });

  async function collectionDay() {
    const s = await cardScenario(t.knex);
    const regionId = s.region.id;
    const m1 = s.market;
    const m2 = await make.market(t.knex, regionId, { code: 'ZM2' });
    await t.knex('markets').where({ id: m1.id }).update({ code: 'AM1' });
    const stall2 = await make.stall(t.knex, regionId, m1.id);
    const stall3 = await make.stall(t.knex, regionId, m2.id);
    for (const st of [stall2, stall3])
      await make.tenancy(t.knex, regionId, st.id, (await make.trader(t.knex, regionId)).id);
    const t1 = s.terminal;
    const t2 = await make.terminal(t.knex, regionId, m1.id, s.acquirer.id);
    const t3 = await make.terminal(t.knex, regionId, m1.id, s.acquirer.id);
    const t4 = await make.terminal(t.knex, regionId, m2.id, s.acquirer.id);
    const budi = await collector(regionId, m1.id, 'Budi Santoso');
    const ani = await collector(regionId, m1.id, 'Ani Lestari');
    const citra = await collector(regionId, m2.id, 'Citra Dewi');
    const now = new Date();
    const today = businessDate(now, 'Asia/Jakarta');
    const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    // Budi carries T1 for good; T2 was Ani's until yesterday and is Budi's from today; nobody has T3.
    await assign(regionId, t1.id, budi.id, '2020-01-01');
    await assign(regionId, t2.id, ani.id, '2020-01-01', yesterday);
    await assign(regionId, t2.id, budi.id, today);
    await assign(regionId, t4.id, citra.id, '2020-01-01');

    const at = now.toISOString();
    await payCard(t1, s.stall, '3000', at);
    await payCard(t1, s.stall, '5000', at);
    const voided = await payCard(t1, s.stall, '7000', at);
    const v = await request(app)
      .post(`/api/v1/payments/${voided}/void`)
      .set('Authorization', `Bearer ${tokenFor(terminalPrincipal(t1))}`)
      .send({ voidReference: 'VOID000777', reason: 'salah nominal' });
    if (v.status !== 201) throw new Error(`void refused: ${JSON.stringify(v.body)}`);
    await payCard(t2, stall2, '4000', at);
    await payCard(t3, stall2, '2500', at);
    await payCard(t4, stall3, '6000', at);
    // A QRIS payment asked for at T4 and paid from the trader's app.
    const qris = await make.acquirer(t.knex, regionId, { channel: 'qris', mdrRate: '0', secret: QRIS_SECRET });
    const intent = await request(app)
      .post('/api/v1/qris')
      .set('Authorization', `Bearer ${tokenFor(terminalPrincipal(t4))}`)
      .send({ stallId: stall3.id, amount: '1500' });
    if (intent.status !== 201) throw new Error(`intent refused: ${JSON.stringify(intent.body)}`);
    const paid = await notify(app, qris.code, paidBody(intent.body.reference, '1500'));
    if (paid.status !== 200) throw new Error(`notification refused: ${JSON.stringify(paid.body)}`);
    return { s, regionId, m1, m2, t1, t2, t3, t4, budi, ani, citra, today, yesterday, voided };
  }

  test('each payment is credited to the collector holding its terminal that day; an unassigned terminal is shown as such', async () => {
    const day = await dailyCollection(deps, w.regionId, w.today);
    expect(day.channels).toEqual(['card', 'qris']);
    const shape = day.markets.map((m) => ({
      market: m.code,
      collectors: m.collectors.map((c) => ({
        name: c.name,
        terminals: c.terminals.map((x) => [x.terminalId, x.totals.card, x.totals.qris, x.totals.total]),
      })),
    }));
    expect(shape).toEqual([
      {
        market: 'AM1',
        collectors: [
          {
            name: 'Budi Santoso',
            terminals: [
              [w.t1.id, cs(2, '8000.00'), none, cs(2, '8000.00')],
              [w.t2.id, cs(1, '4000.00'), none, cs(1, '4000.00')],
            ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
          },
          { name: NO_COLLECTOR, terminals: [[w.t3.id, cs(1, '2500.00'), none, cs(1, '2500.00')]] },
        ],
      },
      {
        market: 'ZM2',
        collectors: [
          { name: 'Citra Dewi', terminals: [[w.t4.id, cs(1, '6000.00'), cs(1, '1500.00'), cs(2, '7500.00')]] },
        ],
      },
    ]);
    const [m1, m2] = day.markets;
    expect(m1.collectors[0].totals).toMatchObject({ card: cs(3, '12000.00'), total: cs(3, '12000.00') });
    expect(m1.totals).toEqual({ card: cs(4, '14500.00'), qris: none, cash: none, total: cs(4, '14500.00') });
    expect(m2.totals).toEqual({ card: cs(1, '6000.00'), qris: cs(1, '1500.00'), cash: none, total: cs(2, '7500.00') });
    expect(day.totals).toEqual({
      card: cs(5, '20500.00'),
      qris: cs(1, '1500.00'),
      cash: none,
      total: cs(6, '22000.00'),
    });
  });

  test('the voided payment is listed apart and left out, so the totals are the ledger: payments less voids', async () => {
    const day = await dailyCollection(deps, w.regionId, w.today);
    expect(day.voided).toEqual([
      expect.objectContaining({
        paymentId: w.voided,
        marketCode: 'AM1',
        terminalId: w.t1.id,
        collectorName: 'Budi Santoso',
        channel: 'card',
        amount: '7000.00',
        voidReference: 'VOID000777',
        reason: 'salah nominal',
        receiptSerial: '3',
      }),
    ]);
    expect(day.voidedTotal).toEqual(cs(1, '7000.00'));
    // The ledger's own view: every payment of the day, less the voided ones, per terminal.
    const { rows } = await t.knex.raw(
      `select p.terminal_id, sum(p.amount) filter (where v.payment_id is null)::text as kept, sum(p.amount)::text as all_paid
         from payments p left join payment_voids v on v.region_id = p.region_id and v.payment_id = p.id
        where p.region_id = ? and p.business_date = ? group by 1 order by 1`,
      [w.regionId, w.today],
    );
    const reported = new Map(
      day.markets.flatMap((m) =>
        m.collectors.flatMap((c) => c.terminals.map((x) => [x.terminalId, x.totals.total.amount])),
      ),
    );
    for (const r of rows) expect(reported.get(r.terminal_id)).toBe(r.kept);
    const allPaid = rows.reduce((n: number, r: { all_paid: string }) => n + Number(r.all_paid), 0);
    expect(allPaid).toBe(29000); // 22000 kept + 7000 voided
  });

  test('for one market, and for a day before the change of hands', async () => {
    const m2 = await dailyCollection(deps, w.regionId, w.today, w.m2.id);
    expect(m2.markets.map((m) => m.code)).toEqual(['ZM2']);
    expect(m2.totals.total).toEqual(cs(2, '7500.00'));
    expect(m2.voided).toEqual([]);

    // Yesterday: nobody paid; every active market is still listed, empty.
    const before = await dailyCollection(deps, w.regionId, w.yesterday);
    expect(before.markets.map((m) => [m.code, m.collectors.length, m.totals.total])).toEqual([
      ['AM1', 0, none],
      ['ZM2', 0, none],
    ]);

    const elsewhere = await make.market(t.knex, (await make.region(t.knex)).id);
    await expect(dailyCollection(deps, w.regionId, w.today, elsewhere.id)).rejects.toMatchObject({ status: 404 });
  });

  test("a T2 payment backdated to yesterday is Ani's, who held T2 then", async () => {
    const stall = await make.stall(t.knex, w.regionId, w.m1.id);
    await make.tenancy(t.knex, w.regionId, stall.id, (await make.trader(t.knex, w.regionId)).id);
    await payCard(w.t2, stall, '1000', `${w.yesterday}T10:00:00+07:00`);
    const before = await dailyCollection(deps, w.regionId, w.yesterday, w.m1.id);
    expect(
      before.markets[0].collectors.map((c) => [c.name, c.terminals.map((x) => x.terminalId), c.totals.total]),
    ).toEqual([['Ani Lestari', [w.t2.id], cs(1, '1000.00')]]);
  });

  test("LPH: the PDF and the CSV show the same rows; both totals are the ledger's, the voided payment apart", async () => {
    const officer: Principal = { role: 'officer', sub: 'officer-lph', regionId: w.regionId };
    const pdf = await issued('daily-collection', { date: w.today }, officer);
    expect(pdf.status).toBe(200);
    for (const s of [
      'LAPORAN PENERIMAAN HARIAN PER PETUGAS',
      `Tanggal: ${hariTanggal(w.today)}`,
      'Pasar: semua pasar (2)',
      'Budi Santoso',
      'Citra Dewi',
      NO_COLLECTOR,
      'VOID000777',
    ]) {
      expect(pdf.text).toContain(s);
    }
    // Card, QRIS, total: Rp 20.500 + Rp 1.500 = Rp 22.000 (Rp 7.000 voided, not in it); then what
    // it settled: no day was assessed, so no retribusi or sanksi, all of it titipan.
    expect(amountsOn(pdf.text, 'JUMLAH SELURUH PASAR')).toEqual([
      '20500.00',
      '1500.00',
      '22000.00',
      '0.00',
      '0.00',
      '22000.00',
    ]);
    expect(amountsOn(pdf.text, 'Subtotal Budi Santoso')).toEqual([
      '12000.00',
      '0.00',
      '12000.00',
      '0.00',
      '0.00',
      '12000.00',
    ]);
    expect(amountsOn(pdf.text, 'JUMLAH AM1')).toEqual(['14500.00', '0.00', '14500.00', '0.00', '0.00', '14500.00']);
    expect(amountsOn(pdf.text, 'JUMLAH DIBATALKAN')).toEqual(['7000.00']);

    const csv = await csvOf('daily-collection', { date: w.today }, officer);
    expect(csv[0]).toEqual([
      'tanggal',
      'kode_pasar',
      'pasar',
      'petugas',
      'username_petugas',
      'terminal',
      'kartu_trx',
      'kartu_nominal',
      'qris_trx',
      'qris_nominal',
      'jumlah_trx',
      'jumlah_nominal',
      'retribusi_nominal',
      'sanksi_nominal',
      'titipan_nominal',
    ]);
    const rows = csv.slice(1, -1);
    expect(rows.map((r) => [r[1], r[3], r[5], r[10], r[11]])).toEqual([
      [
        'AM1',
        'Budi Santoso',
        ...[
          [w.t1.id, '2', '8000.00'],
          [w.t2.id, '1', '4000.00'],
        ].sort((a, b) => a[0].localeCompare(b[0]))[0],
      ],
      [
        'AM1',
        'Budi Santoso',
        ...[
          [w.t1.id, '2', '8000.00'],
          [w.t2.id, '1', '4000.00'],
        ].sort((a, b) => a[0].localeCompare(b[0]))[1],
      ],
      ['AM1', NO_COLLECTOR, w.t3.id, '1', '2500.00'],
      ['ZM2', 'Citra Dewi', w.t4.id, '2', '7500.00'],
    ]);
    const total = csv[csv.length - 1];
    expect(total).toEqual([
      'TOTAL',
      '',
      '',
      '',
      '',
      '',
      '5',
      '20500.00',
      '1',
      '1500.00',
      '6',
      '22000.00',
      '0.00',
      '0.00',
      '22000.00',
    ]);
    expect([total[7], total[9], total[11], total[12], total[13], total[14]]).toEqual(
      amountsOn(pdf.text, 'JUMLAH SELURUH PASAR'),
    );
  });

  test('LPH: a manager gets their own market without asking; another market is refused', async () => {
    const manager: Principal = { role: 'manager', sub: 'manager-m2', regionId: w.regionId, marketId: w.m2.id };
    const own = await issued('daily-collection', { date: w.today }, manager);
    expect(own.status).toBe(200);
    expect(own.text).toContain('Pasar: Pasar Uji (ZM2)');
    expect(own.text).not.toContain('Budi Santoso');
    expect(amountsOn(own.text, 'JUMLAH ZM2')).toEqual(['6000.00', '1500.00', '7500.00', '0.00', '0.00', '7500.00']);
    const other = await issued('daily-collection', { date: w.today, marketId: w.m1.id }, manager);
    expect(other.status).toBe(403);
  });
});

describe('monthly realisation against the target', () => {
  let regionId: string;
  beforeAll(async () => {
    regionId = await realisationRegion();
  });

  /** Three markets: MA with a 2026 target, MB with only a standing one (and a 2025 one), MC with none. */
  async function realisationRegion(): Promise<string> {
    const s = await cardScenario(t.knex);
    const regionId = s.region.id;
    await t.knex('regions').where({ id: regionId }).update({ name: 'Kota Realisasi' });
    const ma = s.market;
    const mb = await make.market(t.knex, regionId);
    const mc = await make.market(t.knex, regionId);
    await t.knex('markets').where({ id: ma.id }).update({ code: 'MA', annual_target: '999999999' });
    await t.knex('markets').where({ id: mb.id }).update({ code: 'MB', annual_target: '500000' });
    await t.knex('markets').where({ id: mc.id }).update({ code: 'MC', annual_target: '0' });
    await t.knex('market_targets').insert([
      { region_id: regionId, market_id: ma.id, year: 2026, amount: '1000000' },
      { region_id: regionId, market_id: mb.id, year: 2025, amount: '777777' },
    ]);
    const stallB = await make.stall(t.knex, regionId, mb.id);
    const stallC = await make.stall(t.knex, regionId, mc.id);
    for (const st of [stallB, stallC])
      await make.tenancy(t.knex, regionId, st.id, (await make.trader(t.knex, regionId)).id);
    const tb = await make.terminal(t.knex, regionId, mb.id, s.acquirer.id);
    const tc = await make.terminal(t.knex, regionId, mc.id, s.acquirer.id);

    await payCard(s.terminal, s.stall, '60000', '2025-12-31T23:50:00+07:00'); // last year
    await payCard(s.terminal, s.stall, '10000', '2026-01-15T09:00:00+07:00');
    await payCard(s.terminal, s.stall, '20000', '2026-02-28T23:59:00+07:00'); // last day of February
    await payCard(s.terminal, s.stall, '30000', '2026-03-01T00:01:00+07:00'); // 2026-02-28 17:01 UTC, local 1 March
    await payCard(s.terminal, s.stall, '40000', '2026-03-31T23:30:00+07:00'); // last day of March
    await payCard(s.terminal, s.stall, '50000', '2026-04-01T00:10:00+07:00'); // 31 March in UTC, April locally
    const gone = await payCard(s.terminal, s.stall, '9999', '2026-03-20T10:00:00+07:00');
    // A void is only possible on the day at a terminal; recorded here as the ledger function would.
    const p = await t.knex('payments').where({ id: gone }).first('journal_entry_id', 'terminal_id');
    await t.knex('payment_voids').insert({
      region_id: regionId,
      payment_id: gone,
      terminal_id: p.terminal_id,
      void_reference: 'V1',
      reversal_entry_id: p.journal_entry_id,
      response: '{}',
    });
    await payCard(tb, stallB, '5000', '2026-03-10T09:00:00+07:00');
    await payCard(tc, stallC, '1000', '2026-03-05T09:00:00+07:00');

    return regionId;
  }

  test("month and year to date end on the month's last local day; targets come from the year, else the market", async () => {
    const march = await monthlyRealisation(deps, regionId, '2026-03');
    expect({ from: march.monthFrom, to: march.monthTo, yearFrom: march.yearFrom }).toEqual({
      from: '2026-03-01',
      to: '2026-03-31',
      yearFrom: '2026-01-01',
    });
    expect(
      march.markets.map((m) => [
        m.code,
        m.target,
        m.targetSource,
        m.month.total,
        m.yearToDate.total,
        m.percentOfTarget,
      ]),
    ).toEqual([
      ['MA', '1000000.00', 'year', cs(2, '70000.00'), cs(4, '100000.00'), '10.00'],
      ['MB', '500000.00', 'standing', cs(1, '5000.00'), cs(1, '5000.00'), '1.00'],
      ['MC', '0.00', 'standing', cs(1, '1000.00'), cs(1, '1000.00'), null],
    ]);
    expect(march.markets[0].month).toMatchObject({ card: cs(2, '70000.00'), qris: none, cash: none });
    // 106000 / 1500000 = 7.0666...%
    expect(march.total).toMatchObject({
      target: '1500000.00',
      month: { total: cs(4, '76000.00') },
      yearToDate: { total: cs(6, '106000.00') },
      percentOfTarget: '7.07',
    });

    const feb = await monthlyRealisation(deps, regionId, '2026-02');
    expect(feb.monthTo).toBe('2026-02-28');
    expect(feb.markets.map((m) => [m.code, m.month.total.amount, m.yearToDate.total.amount])).toEqual([
      ['MA', '20000.00', '30000.00'],
      ['MB', '0.00', '0.00'],
      ['MC', '0.00', '0.00'],
    ]);
    const dec = await monthlyRealisation(deps, regionId, '2025-12');
    expect(dec.markets.map((m) => [m.code, m.target, m.targetSource, m.yearToDate.total.amount])).toEqual([
      ['MA', '999999999.00', 'standing', '60000.00'],
      ['MB', '777777.00', 'year', '0.00'],
      ['MC', '0.00', 'standing', '0.00'],
    ]);
    await expect(monthlyRealisation(deps, regionId, '2026-13')).rejects.toMatchObject({ status: 400 });
  });

  test('LRP: the JUMLAH row of the PDF and the CSV TOTAL agree, with the target used named per market', async () => {
    const officer: Principal = { role: 'officer', sub: 'officer-lrp', regionId };
    const pdf = await issued('monthly-realisation', { month: '2026-03' }, officer);
    expect(pdf.status).toBe(200);
    for (const s of [
      'LAPORAN REALISASI PENERIMAAN RETRIBUSI PASAR',
      'Bulan: Maret 2026',
      'Realisasi tahun berjalan: 1 Januari 2026 s.d. 31 Maret 2026',
      'Target 2026',
      'Target tetap',
    ]) {
      expect(pdf.text).toContain(s);
    }
    // Target, March by card, by QRIS, March in all, year to date; after the percentage, sanksi
    // received in March and in the year (none here).
    const jumlah = amountsOn(pdf.text, 'JUMLAH');
    expect(jumlah).toEqual(['1500000.00', '76000.00', '0.00', '76000.00', '106000.00', '0.00', '0.00']);
    expect(pdf.text.split('\n').find((l) => l.trim().startsWith('JUMLAH'))).toMatch(/7,07%\s+Rp 0\s+Rp 0\s*$/);

    const csv = await csvOf('monthly-realisation', { month: '2026-03' }, officer);
    expect(csv[0]).toEqual([
      'bulan',
      'kode_pasar',
      'pasar',
      'target_tahunan',
      'dasar_target',
      'bulan_ini_kartu',
      'bulan_ini_qris',
      'bulan_ini_jumlah',
      'sd_bulan_ini',
      'persen_target',
      'sanksi_bulan_ini',
      'sanksi_sd_bulan_ini',
    ]);
    expect(csv.slice(1, -1).map((r) => [r[1], r[3], r[4], r[7], r[8], r[9]])).toEqual([
      ['MA', '1000000.00', 'tahun_2026', '70000.00', '100000.00', '10.00'],
      ['MB', '500000.00', 'tetap', '5000.00', '5000.00', '1.00'],
      ['MC', '0.00', 'tetap', '1000.00', '1000.00', '—'],
    ]);
    const total = csv[csv.length - 1];
    expect(total).toEqual([
      'TOTAL',
      '',
      '',
      '1500000.00',
      '',
      '76000.00',
      '0.00',
      '76000.00',
      '106000.00',
      '7.07',
      '0.00',
      '0.00',
    ]);
    expect([total[3], total[5], total[6], total[7], total[8], total[10], total[11]]).toEqual(jumlah);
  });
});

describe('daily reconciliation data', () => {
  // A Tuesday: the BNI file of D+1 settles two of three card payments and one the ledger never
  // had; the MT940 of D+1 credits the batch. A second card acquirer has sent nothing yet.
  const D = '2026-11-17';
  const local = (hhmm: string) => `${D}T${hhmm}:00+07:00`;

  let r: Awaited<ReturnType<typeof reconciledDay>>;
  beforeAll(async () => {
    r = await reconciledDay();
  });

  async function reconciledDay() {
    const s = await cardScenario(t.knex);
    const regionId = s.region.id;
    await t.knex('acquirers').where({ id: s.acquirer.id }).update({ name: 'BNI - EDC' });
    const other = await make.acquirer(t.knex, regionId, { code: `bri-${s.region.code.toLowerCase()}` });
    await t.knex('acquirers').where({ id: other.id }).update({ name: 'BRI - EDC' });
    const t2 = await make.terminal(t.knex, regionId, s.market.id, other.id);
    await payCard(s.terminal, s.stall, '3000', local('09:00'), '700000000101');
    await payCard(s.terminal, s.stall, '5000', local('09:10'), '700000000102');
    const missing = await payCard(s.terminal, s.stall, '4000', local('09:20'), '700000000103');
    await payCard(t2, s.stall, '6000', local('09:30'), '710000000001');

    const line = (rrn: string, gross: string, mdr: string, net: string, hhmm: string) =>
      bank.line({
        rrn,
        tid: s.terminal.tid,
        stan: undefined,
        transactedAt: new Date(local(hhmm)),
        transactionDate: D,
        gross,
        mdr,
        net,
        settlementDate: '2026-11-18',
        batch: '501',
      });
    // An acquirer whose file carries the RRN (the real BNI layout has none; matching without it
    // is tested on the real files in reconcile-real-files.test.ts).
    const csv = writeBniSettlementCsv(bank.meta({ settlementDate: '2026-11-18', settlementRrn: true }), [
      line('700000000101', '3000', '4.50', '2995.50', '09:00'),
      line('700000000102', '5000', '7.50', '4992.50', '09:10'),
      line('700000000199', '2000', '3.00', '1997.00', '11:00'),
    ]);
    await importBankFile(deps, {
      regionId,
      kind: 'settlement',
      acquirerCode: s.acquirer.code,
      content: Buffer.from(csv),
      source: 'upload',
    });
    const mt940 = writeMt940(
      bank.statement({
        date: '2026-11-18',
        openingBalance: '0.00',
        closingBalance: '9985.00',
        entries: [
          bank.entry({
            valueDate: '2026-11-18',
            bookingDate: '2026-11-18',
            amount: '9985.00',
            reference: '501',
            description: 'STL BNI EDC 20261117 B501',
          }),
        ],
      }),
    );
    await importBankFile(deps, { regionId, kind: 'statement', content: Buffer.from(mt940), source: 'upload' });

    const before = await dailyReconciliation(deps, regionId, D).catch((e: unknown) => e);
    await reconcileDay(deps, regionId, D);
    const exception = await t
      .knex('reconciliation_exceptions')
      .where({ region_id: regionId, payment_id: missing })
      .first('id');
    await resolveException(deps, { role: 'officer', sub: 'officer-1', regionId }, exception.id, {
      resolution: 'write-off',
      note: 'dibatalkan bank, dana tidak masuk',
    });

    return { s, other, regionId, before };
  }

  test("per acquirer: ledger, settled, awaiting, the bank's file and the statement; totals add the rows; exceptions open first", async () => {
    const { s, other, regionId } = r;
    expect(r.before).toMatchObject({ status: 409, code: 'not-reconciled' });
    const day = await dailyReconciliation(deps, regionId, D);
    expect(day.status).toBe('open');
    expect(day.runs).toBe(2);
    const bni = day.acquirers.find((a) => a.acquirerCode === s.acquirer.code)!;
    const bri = day.acquirers.find((a) => a.acquirerCode === other.code)!;
    expect(bni).toEqual({
      acquirerCode: s.acquirer.code,
      acquirerName: 'BNI - EDC',
      channel: 'card',
      dueBy: '2026-11-18',
      ledger: cs(3, '12000.00'),
      settled: cs(2, '8000.00'),
      awaiting: none,
      bank: { lines: 3, gross: '10000.00', mdr: '15.00', net: '9985.00' },
      statementCredited: '9985.00',
      batches: { count: 1, credited: 1, awaitingStatement: 0 },
    });
    expect(bri).toMatchObject({
      acquirerName: 'BRI - EDC',
      ledger: cs(1, '6000.00'),
      settled: none,
      awaiting: cs(1, '6000.00'),
      statementCredited: '0.00',
    });
    expect(day.totals).toEqual({
      ledger: cs(4, '18000.00'),
      settled: cs(2, '8000.00'),
      awaiting: cs(1, '6000.00'),
      bank: { lines: 3, gross: '10000.00', mdr: '15.00', net: '9985.00' },
      statementCredited: '9985.00',
    });
    expect(
      day.exceptions.map((e) => [e.kind, e.status, e.reference, e.ledgerAmount, e.bankAmount, e.resolution]),
    ).toEqual([
      ['settled-not-in-ledger', 'open', '700000000199', null, '2000.00', null],
      ['in-ledger-not-settled', 'resolved', '700000000103', '4000.00', null, 'write-off'],
    ]);
    expect(day.exceptions[1]).toMatchObject({
      terminalId: s.terminal.id,
      note: 'dibatalkan bank, dana tidak masuk',
      acquirerCode: s.acquirer.code,
    });
    expect(day.exceptionCounts).toEqual({ open: 1, resolved: 1 });
  });

  test('LRH: per bank rows, the JUMLAH row equal to the CSV TOTAL, the exceptions in Indonesian', async () => {
    const officer: Principal = { role: 'officer', sub: 'officer-lrh', regionId: r.regionId };
    const pdf = await issued('daily-reconciliation', { date: D }, officer);
    expect(pdf.status).toBe(200);
    for (const s of [
      'LAPORAN REKONSILIASI HARIAN',
      'Tanggal transaksi: Selasa, 17 November 2026',
      'BNI - EDC',
      'BRI - EDC',
      'TERBUKA',
      'Disetelmen bank, tidak tercatat di sistem',
      'Tercatat di sistem, tidak disetelmen bank',
      'Dihapusbukukan: dibatalkan bank, dana tidak masuk',
      '(2× dijalankan)',
    ]) {
      expect(pdf.text.replace(/\s+/g, ' ')).toContain(s); // a long note wraps in its cell
    }
    // Ledger, settled, awaiting, the bank's gross, MDR and net, credited to the treasury.
    const jumlah = amountsOn(pdf.text, 'JUMLAH');
    expect(jumlah).toEqual(['18000.00', '8000.00', '6000.00', '10000.00', '15.00', '9985.00', '9985.00']);

    const csv = await csvOf('daily-reconciliation', { date: D }, officer);
    expect(csv.length).toBe(4); // header, two banks, TOTAL
    const total = csv[3];
    expect(total).toEqual([
      'TOTAL',
      '',
      '',
      '',
      '',
      '4',
      '18000.00',
      '2',
      '8000.00',
      '1',
      '6000.00',
      '3',
      '10000.00',
      '15.00',
      '9985.00',
      '9985.00',
    ]);
    expect([total[6], total[8], total[10], total[12], total[13], total[14], total[15]]).toEqual(jumlah);
  });

  test('LRH of a date never reconciled: a 409 before any document is issued', async () => {
    const officer: Principal = { role: 'officer', sub: 'officer-lrh', regionId: r.regionId };
    const before = await t.knex('documents').where({ region_id: r.regionId }).count<{ n: string }[]>('* as n');
    const res = await issued('daily-reconciliation', { date: '2026-11-16' }, officer);
    expect(res.status).toBe(409);
    expect(res.body.error?.code).toBe('not-reconciled');
    const after = await t.knex('documents').where({ region_id: r.regionId }).count<{ n: string }[]>('* as n');
    expect(after[0].n).toBe(before[0].n);
  });

  test('a date never reconciled is a 409 that says so', async () => {
    const s = await cardScenario(t.knex);
    const err = await dailyReconciliation(deps, s.region.id, '2026-11-16').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({
      status: 409,
      code: 'not-reconciled',
      message: expect.stringContaining('2026-11-16 has not been reconciled'),
    });
  });
});
