// The receipt page behind the e-karcis QR (issue 16, part 3): an Indonesian page in the pages'
// shell, with what the payment settled line by line (retribusi per day, sanksi bunga per month of
// a day, titipan) from the ledger's allocations, DIBATALKAN once the payment is voided, and an
// Indonesian 404 page for a code that is unknown or cannot be one; JSON for a client asking for it.
import request from 'supertest';
import type { Express } from 'express';
import { freshDb, type TestDb } from '../support/db';
import { testApp } from '../support/app';
import * as make from '../support/make';
import { cardScenario, ledgerBalanced } from '../support/scenario';
import { pay } from '../support/pay';
import type { Deps } from '../../api/core/deps';
import { businessDate } from '../../api/core/time';
import { assessDay } from '../../api/assessments/assessment.service';
import { runPenalties } from '../../api/arrears/penalties.service';
import { hariTanggal } from '../../reports/format';
import { addDays } from '../../terminal-sim/clock';

let t: TestDb;
let app: Express;
let deps: Deps;
beforeAll(async () => {
  t = await freshDb();
  ({ app, deps } = testApp(t.knex));
});
afterAll(() => t.drop());

/** A stall of Rp 10.000 a day whose day 40 days ago is unpaid and has borne two months of
 * sanksi bunga (1% a month: Rp 100 each, charged by the penalty run as of today). */
async function owingStall() {
  const s = await cardScenario(t.knex, { areaM2: '10', rate: '1000' });
  await make.penaltyRule(t.knex, s.region.id);
  const today = businessDate(new Date(), 'Asia/Jakarta');
  const day = addDays(today, -40);
  await assessDay(deps, s.region.code, day);
  await runPenalties(deps, s.region.id, today);
  const charges = await t
    .knex('penalty_charges')
    .where({ region_id: s.region.id })
    .orderBy('month_no')
    .select('month_no', 'amount');
  return { ...s, today, day, charges };
}

const cells = (html: string) =>
  [...html.matchAll(/<tr><td>([^<]*)<\/td><td class="num">([^<]*)<\/td><\/tr>/g)].map((m) => [m[1], m[2]]);

test('a card payment that settles a day and its sanksi shows both, and the titipan, on the receipt page', async () => {
  const s = await owingStall();
  expect(s.charges.map((c) => [c.month_no, c.amount])).toEqual([
    [1, '100.00'],
    [2, '100.00'],
  ]);
  // Rp 10.500: the day's Rp 10.000, its two months of sanksi (Rp 200), Rp 300 left as titipan.
  const paid = await pay(app, s, { amount: '10500' });
  expect(paid).toMatchObject({ principal: '10000.00', penalty: '200.00', credit: '300.00' });

  const json = await request(app).get(`/receipts/${paid.receipt.code}`).set('Accept', 'application/json');
  expect(json.status).toBe(200);
  expect(json.body).toMatchObject({
    genuine: true,
    status: 'valid',
    amount: '10500.00',
    principal: '10000.00',
    penalty: '200.00',
    credit: '300.00',
    days: [{ businessDate: s.day, amount: '10000.00' }],
    penalties: [
      { businessDate: s.day, monthNo: 1, amount: '100.00' },
      { businessDate: s.day, monthNo: 2, amount: '100.00' },
    ],
    voidedAt: null,
  });
  // The receipt's parts are the ledger's: penalty_allocations and allocations of this payment.
  const settled = await t.knex.raw(
    `select (select sum(amount) from allocations where payment_id = :p)::text as principal,
            (select sum(amount) from penalty_allocations where payment_id = :p)::text as penalty`,
    { p: paid.paymentId },
  );
  expect(settled.rows[0]).toEqual({ principal: json.body.principal, penalty: json.body.penalty });

  const page = await request(app).get(`/receipts/${paid.receipt.code}`);
  expect(page.status).toBe(200);
  expect(page.headers['content-type']).toMatch(/^text\/html/);
  expect(page.text).toContain('<html lang="id">');
  expect(page.text).toContain('href="/aset/halaman.css"');
  expect(page.text).toContain('ASLI');
  expect(page.text).not.toContain('DIBATALKAN');
  expect(cells(page.text)).toEqual([
    [`Retribusi ${hariTanggal(s.day)}`, 'Rp 10.000'],
    [`Sanksi bunga bulan ke-1 atas retribusi ${hariTanggal(s.day)}`, 'Rp 100'],
    [`Sanksi bunga bulan ke-2 atas retribusi ${hariTanggal(s.day)}`, 'Rp 100'],
    ['Titipan (lebih bayar, untuk tagihan berikutnya)', 'Rp 300'],
  ]);
  expect(page.text).toMatch(/Jumlah dibayar<\/th><td class="num">Rp 10\.500</);
  expect(page.text).toContain(`<dt>Tanggal transaksi</dt><dd>${hariTanggal(s.today)}</dd>`);
  expect(page.text).toMatch(/<dt>Waktu bayar<\/dt><dd>\d{1,2} [A-Z][a-z]+ \d{4} pukul \d{2}\.\d{2} WIB<\/dd>/);
  expect(page.text).toContain('Kartu debit 522184******1234');
  // The trader is named as before: masked, enough to recognise.
  const trader = await t.knex('traders').where({ id: s.trader.id }).first('name');
  expect(page.text).not.toContain(trader.name);
  expect(json.body.trader).toMatch(/^[A-Za-z]\*+/);
  expect(page.text).toContain(`<dt>Pedagang</dt><dd>${json.body.trader}</dd>`);
  expect(await ledgerBalanced(t.knex, s.region.id)).toBe(true);
});

test('a voided payment reads DIBATALKAN, on the page and in JSON', async () => {
  const s = await owingStall();
  const paid = await pay(app, s, { amount: '10100' });
  const v = await request(app)
    .post(`/api/v1/payments/${paid.paymentId}/void`)
    .set('Authorization', `Bearer ${s.terminalToken}`)
    .send({ voidReference: 'VOID000016', reason: 'salah nominal' });
  expect(v.status).toBe(201);

  const json = await request(app).get(`/receipts/${paid.receipt.code}`).set('Accept', 'application/json');
  expect(json.body).toMatchObject({ status: 'voided', principal: '10000.00', penalty: '100.00', credit: '0.00' });
  const voidRow = await t.knex('payment_voids').where({ payment_id: paid.paymentId }).first('voided_at');
  expect(json.body.voidedAt).toBe(voidRow.voided_at.toISOString());

  const page = await request(app).get(`/receipts/${paid.receipt.code}`);
  expect(page.status).toBe(200);
  expect(page.text).toContain('<span class="badge b-bad">DIBATALKAN</span></h1>');
  expect(page.text).toMatch(
    /<strong>✖ DIBATALKAN<\/strong> — pembayaran ini telah dibatalkan pada \d{1,2} [A-Z][a-z]+ \d{4} pukul/,
  );
  expect(page.text).not.toContain('ASLI');
  // What it had settled is still listed (the void reopened it).
  expect(cells(page.text)).toEqual([
    [`Retribusi ${hariTanggal(s.day)}`, 'Rp 10.000'],
    [`Sanksi bunga bulan ke-1 atas retribusi ${hariTanggal(s.day)}`, 'Rp 100'],
  ]);
  const open = await t.knex('penalty_charges').where({ region_id: s.region.id }).sum('open_amount as n').first();
  expect(open?.n).toBe('200.00');
  expect(await ledgerBalanced(t.knex, s.region.id)).toBe(true);
});

test('a code as a person types it (lower case, dashes, O for 0) finds the receipt', async () => {
  const s = await owingStall();
  const paid = await pay(app, s, { amount: '500' });
  const typed = paid.receipt.code
    .toLowerCase()
    .replace(/0/g, 'o')
    .replace(/(.{4})(?!$)/g, '$1-');
  const json = await request(app).get(`/receipts/${typed}`).set('Accept', 'application/json');
  expect(json.status).toBe(200);
  expect(json.body.code).toBe(paid.receipt.code);
});

test('an unknown or malformed code is an Indonesian 404 page; JSON clients get the 404 error', async () => {
  for (const code of ['0000000000000000', 'ABC', "'%20or%201=1", 'U'.repeat(16), '4111111111111111']) {
    const page = await request(app).get(`/receipts/${code}`);
    expect(page.status).toBe(404);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.text).toContain('<html lang="id">');
    expect(page.text).toContain('<h1>Bukti bayar tidak dikenal</h1>');
    expect(page.text).not.toContain(decodeURIComponent(code)); // what was typed is never echoed
    expect(page.text).not.toContain('"error"');

    const json = await request(app).get(`/receipts/${code}`).set('Accept', 'application/json');
    expect(json.status).toBe(404);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.body.error).toMatchObject({ code: 'not-found' });
  }
});
