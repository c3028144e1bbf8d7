// Issue 13, item 5: a CSV the product writes never hands a spreadsheet a live formula. A text cell
// starting with = + - @ (or a tab or CR) is written with a ' in front; numbers, negative ones
// too, are written as they are.
import request from 'supertest';
import { parse } from 'csv-parse/sync';
import { freshDb, type TestDb } from '../support/db';
import { tokenFor } from '../support/app';
import { pay } from '../support/pay';
import { marketWorld } from '../support/world';
import { csvLine } from '../../reports/document';

let t: TestDb;
beforeAll(async () => {
  t = await freshDb();
});
afterAll(() => t.drop());

const HYPERLINK = '=HYPERLINK("http://x")';

/** One market whose traders have names that look like formulas, and an officer's token. */
async function world() {
  const w = await marketWorld(t.knex);
  const stalls = [];
  for (const [code, trader] of [
    ['A-01', HYPERLINK],
    ['A-02', '@SUM(1)'],
    ['A-03', '-2+3'],
    ['A-04', '\tcmd'],
  ])
    stalls.push((await w.occupy({ code, trader })).stall);
  const officer = tokenFor({ role: 'officer', sub: 'officer', regionId: w.region.id });
  return { ...w, stalls, officer };
}

const csvOf = (text: string) => parse(text, { relax_column_count: true }) as string[][];

test('the arrears CSV writes trader names that look like formulas as text', async () => {
  const w = await world();
  await w.assess('2026-05-25');
  const res = await request(w.app)
    .get('/api/v1/reports/arrears')
    .query({ asOf: '2026-06-01', format: 'csv' })
    .set('Authorization', `Bearer ${w.officer}`);
  expect(res.status).toBe(200);
  const rows = csvOf(res.text);
  const names = rows.slice(1, -1).map((r) => r[rows[0].indexOf('pedagang')]);
  expect(names).toEqual([`'${HYPERLINK}`, "'@SUM(1)", "'-2+3", "'\tcmd"]);
  expect(res.text).not.toMatch(/(^|,)"?=HYPERLINK/m);
  // The money columns are numbers still.
  expect(rows[1][rows[0].indexOf('pokok')]).toBe('3000.00');
});

test('the daily collection CSV neutralises a market name that is a formula, and keeps negative numbers as numbers', async () => {
  const w = await world();
  await t.knex('markets').where({ id: w.market.id }).update({ name: '+SUM(A1:A9)' });
  await pay(w.app, w.payer(w.stalls[0]), { amount: '3000', paidAt: '2026-06-02T03:00:00Z' });
  const res = await request(w.app)
    .get('/api/v1/reports/daily-collection')
    .query({ date: '2026-06-02', format: 'csv' })
    .set('Authorization', `Bearer ${w.officer}`);
  expect(res.status).toBe(200);
  const rows = csvOf(res.text);
  expect(rows[1][rows[0].indexOf('pasar')]).toBe("'+SUM(A1:A9)");

  // The one rule every CSV is written by: text cells neutralised, plain numbers left alone.
  expect(csvLine(['-1000.00', '-5', '+62812', '-', '@x', '=1+1', '\rx', 'Ani'])).toBe(
    "-1000.00,-5,'+62812,'-,'@x,'=1+1,\"'\rx\",Ani\r\n",
  );
});
