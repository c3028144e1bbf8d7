// Issue 16, part 4: the daily collection (LPH) and the realisation report (LRP) show sanksi bunga
// received apart from retribusi, and their totals are the ledger's. One stall of Rp 10.000 a day:
// a day 40 days ago unpaid with two months of sanksi (Rp 100 each, 1% a month), and today's day.
// Paid today, in the region's default order (a month's principal, then its sanksi, then the next):
//   P1 card  10.100: the old day 10.000, sanksi month 1 100
//   P2 card   5.000: sanksi month 2 100, today 4.900
//   P3 card   3.000: today 3.000, then voided (reopened, left out of every report total)
//   P4 QRIS   5.500: today's remaining 5.100, 400 titipan
// Retribusi 20.000, sanksi 200, titipan 400: 20.600 received.
import request from 'supertest';
import type { Express } from 'express';
import { parse } from 'csv-parse/sync';
import { freshDb, type TestDb } from '../support/db';
import { testApp, tokenFor } from '../support/app';
import * as make from '../support/make';
import { cardScenario, ledgerBalanced } from '../support/scenario';
import { pay } from '../support/pay';
import { notify, paidBody, QRIS_SECRET } from '../support/qris';
import { binaryParser, pdfText, rupiahValue } from '../support/pdf';
import type { Deps } from '../../api/core/deps';
import type { Principal } from '../../api/auth/principal';
import { businessDate } from '../../api/core/time';
import { assessDay } from '../../api/assessments/assessment.service';
import { runPenalties } from '../../api/arrears/penalties.service';
import { dailyCollection } from '../../reports/data/daily-collection';
import { monthlyRealisation } from '../../reports/data/monthly-realisation';
import { registerReport } from '../../reports/registry';
import { dailyCollectionReport } from '../../reports/kinds/daily-collection';
import { monthlyRealisationReport } from '../../reports/kinds/monthly-realisation';
import { addDays } from '../../terminal-sim/clock';

for (const def of [dailyCollectionReport, monthlyRealisationReport]) registerReport(def);

let t: TestDb;
let app: Express;
let deps: Deps;
let w: Awaited<ReturnType<typeof penaltyDay>>;

beforeAll(async () => {
  t = await freshDb();
  ({ app, deps } = testApp(t.knex));
  w = await penaltyDay();
});
afterAll(() => t.drop());

async function penaltyDay() {
  const s = await cardScenario(t.knex, { areaM2: '10', rate: '1000' });
  const regionId = s.region.id;
  await t.knex('markets').where({ id: s.market.id }).update({ annual_target: '1000000' });
  await make.penaltyRule(t.knex, regionId);
  const today = businessDate(new Date(), 'Asia/Jakarta');
  const old = addDays(today, -40);
  await assessDay(deps, s.region.code, old);
  await runPenalties(deps, regionId, today);
  await assessDay(deps, s.region.code, today);

  const p1 = await pay(app, s, { amount: '10100' });
  const p2 = await pay(app, s, { amount: '5000' });
  const p3 = await pay(app, s, { amount: '3000' });
  const v = await request(app)
    .post(`/api/v1/payments/${p3.paymentId}/void`)
    .set('Authorization', `Bearer ${s.terminalToken}`)
    .send({ voidReference: 'VOID000316', reason: 'salah nominal' });
  if (v.status !== 201) throw new Error(`void refused: ${JSON.stringify(v.body)}`);
  const qris = await make.acquirer(t.knex, regionId, { channel: 'qris', mdrRate: '0', secret: QRIS_SECRET });
  const intent = await request(app)
    .post('/api/v1/qris')
    .set('Authorization', `Bearer ${s.terminalToken}`)
    .send({ stallId: s.stall.id, amount: '5500' });
  if (intent.status !== 201) throw new Error(`intent refused: ${JSON.stringify(intent.body)}`);
  const p4 = await notify(app, qris.code, paidBody(intent.body.reference, '5500'));
  if (p4.status !== 200) throw new Error(`notification refused: ${JSON.stringify(p4.body)}`);
  return { s, regionId, today, old, p1, p2, p3 };
}

/** The ledger's own figures for the day: what payment entries (less their reversals) credited to
 * stall receivable (retribusi), penalty receivable (sanksi) and trader credit (titipan). */
async function ledgerParts(regionId: string, date: string) {
  const { rows } = await t.knex.raw(
    `select a.purpose, sum(jl.credit - jl.debit)::text as net
       from journal_lines jl
       join journal_entries e on e.region_id = jl.region_id and e.id = jl.entry_id
       join accounts a on a.id = jl.account_id
      where jl.region_id = ? and e.business_date = ? and e.kind in ('payment', 'reversal')
        and a.purpose in ('stall_receivable', 'penalty_receivable', 'trader_credit')
      group by 1`,
    [regionId, date],
  );
  const by = Object.fromEntries(rows.map((r: { purpose: string; net: string }) => [r.purpose, r.net]));
  return { principal: by.stall_receivable, penalty: by.penalty_receivable, credit: by.trader_credit };
}

async function issued(kind: string, query: Record<string, string>, who: Principal) {
  const res = await request(app)
    .get(`/api/v1/reports/${kind}`)
    .query(query)
    .set('Authorization', `Bearer ${tokenFor(who)}`)
    .buffer(true)
    .parse(binaryParser as never);
  expect(res.status).toBe(200);
  return pdfText(res.body as Buffer, { layout: true }).text;
}

async function csvOf(kind: string, query: Record<string, string>, who: Principal): Promise<string[][]> {
  const res = await request(app)
    .get(`/api/v1/reports/${kind}`)
    .query({ ...query, format: 'csv' })
    .set('Authorization', `Bearer ${tokenFor(who)}`);
  expect(res.status).toBe(200);
  return parse(res.text) as string[][];
}

function amountsOn(text: string, label: string): string[] {
  const line = text.split('\n').find((l) => l.trim().startsWith(label));
  if (!line) throw new Error(`no line starts with ${label}`);
  return (line.match(/-?Rp [\d.]+(?:,\d{2})?/g) ?? []).map(rupiahValue);
}

const firstAmount = (text: string, label: string) => amountsOn(text, label)[0];

test('the payments settled what the region order says (the ground the reports stand on)', async () => {
  expect([w.p1, w.p2].map((p) => [p.principal, p.penalty, p.credit])).toEqual([
    ['10000.00', '100.00', '0.00'],
    ['4900.00', '100.00', '0.00'],
  ]);
  const qris = await t
    .knex('payments')
    .where({ region_id: w.regionId, channel: 'qris' })
    .select('allocated_amount', 'penalty_amount', 'credit_amount');
  expect(qris).toEqual([{ allocated_amount: '5100.00', penalty_amount: '0.00', credit_amount: '400.00' }]);
  expect(await ledgerBalanced(t.knex, w.regionId)).toBe(true);
});

test('LPH data: retribusi, sanksi and titipan per terminal and in total, equal to the ledger', async () => {
  const day = await dailyCollection(deps, w.regionId, w.today);
  expect(day.parts).toEqual({ principal: '20000.00', penalty: '200.00', credit: '400.00' });
  expect(day.parts).toEqual(await ledgerParts(w.regionId, w.today));
  expect(day.totals.total).toEqual({ count: 3, amount: '20600.00' });
  expect(day.totals.card).toEqual({ count: 2, amount: '15100.00' });
  expect(day.totals.qris).toEqual({ count: 1, amount: '5500.00' });
  const [terminal] = day.markets[0].collectors[0].terminals;
  expect(terminal.parts).toEqual(day.parts);
  expect(day.voided.map((v) => [v.paymentId, v.amount])).toEqual([[w.p3.paymentId, '3000.00']]);
});

test('LPH PDF and CSV: the same retribusi, sanksi and titipan columns and totals', async () => {
  const officer: Principal = { role: 'officer', sub: 'officer-lph-16', regionId: w.regionId };
  const pdf = await issued('daily-collection', { date: w.today }, officer);
  const code = w.s.market.code;
  // Card, QRIS, total; then retribusi, sanksi bunga, titipan.
  const jumlah = amountsOn(pdf, `JUMLAH ${code}`);
  expect(jumlah).toEqual(['15100.00', '5500.00', '20600.00', '20000.00', '200.00', '400.00']);
  expect(firstAmount(pdf, 'Pendapatan retribusi')).toBe('20000.00');
  expect(firstAmount(pdf, 'Pendapatan sanksi bunga')).toBe('200.00');
  expect(firstAmount(pdf, 'Titipan (lebih bayar)')).toBe('400.00');

  const csv = await csvOf('daily-collection', { date: w.today }, officer);
  expect(csv[0].slice(-3)).toEqual(['retribusi_nominal', 'sanksi_nominal', 'titipan_nominal']);
  const total = csv[csv.length - 1];
  expect(total[0]).toBe('TOTAL');
  expect([total[7], total[9], total[11], total[12], total[13], total[14]]).toEqual(jumlah);
  const ledger = await ledgerParts(w.regionId, w.today);
  expect(total.slice(-3)).toEqual([ledger.principal, ledger.penalty, ledger.credit]);
});

test('LRP: realisation of the retribusi target counts retribusi and titipan; sanksi is its own line', async () => {
  const month = w.today.slice(0, 7);
  const r = await monthlyRealisation(deps, w.regionId, month);
  const [m] = r.markets;
  // Retribusi money: card 15.100 - 200 sanksi = 14.900, QRIS 5.500 (5.100 retribusi + 400 titipan).
  expect(m.month).toMatchObject({
    card: { amount: '14900.00' },
    qris: { amount: '5500.00' },
    total: { amount: '20400.00' },
  });
  expect(m.yearToDate.total.amount).toBe('20400.00');
  expect(m.penalty).toEqual({ month: '200.00', yearToDate: '200.00' });
  expect(m.percentOfTarget).toBe('2.04'); // 20.400 / 1.000.000, not 20.600
  expect(r.total.penalty).toEqual({ month: '200.00', yearToDate: '200.00' });
  // Together they are the money the ledger took in (payments less the voided one).
  const ledger = await ledgerParts(w.regionId, w.today);
  expect(Number(m.month.total.amount) + Number(m.penalty.month)).toBe(
    Number(ledger.principal) + Number(ledger.penalty) + Number(ledger.credit),
  );
  expect(m.penalty.month).toBe(ledger.penalty);

  const officer: Principal = { role: 'officer', sub: 'officer-lrp-16', regionId: w.regionId };
  const pdf = await issued('monthly-realisation', { month }, officer);
  const jumlah = amountsOn(pdf, 'JUMLAH');
  expect(jumlah).toEqual(['1000000.00', '14900.00', '5500.00', '20400.00', '20400.00', '200.00', '200.00']);
  expect(pdf).toMatch(/2,04%\s+Rp 200\s+Rp 200\s*\n/);
  expect(pdf).toContain('Sanksi bunga yang dibayar adalah pendapatan');
  expect(firstAmount(pdf, 'Sanksi s.d.')).toBe('200.00');
  expect(firstAmount(pdf, 'Jumlah diterima')).toBe('20600.00');
  const csv = await csvOf('monthly-realisation', { month }, officer);
  expect(csv[0].slice(-2)).toEqual(['sanksi_bulan_ini', 'sanksi_sd_bulan_ini']);
  const total = csv[csv.length - 1];
  expect([total[3], total[5], total[6], total[7], total[8], total[10], total[11]]).toEqual(jumlah);
  expect(total[9]).toBe('2.04');
});
