// Issue 13, item 5: a CSV the product writes never hands a spreadsheet a live formula. A text cell
// starting with = + - @ (or a tab or CR) is written with a ' in front; numbers, negative ones
// too, are written as they are.
import request from 'supertest';
import { parse } from 'csv-parse/sync';
import { freshDb, type TestDb } from '../support/db';
import { testApp, tokenFor } from '../support/app';
import * as make from '../support/make';
import { cardBody } from '../support/scenario';
import { assessDay } from '../../api/assessments/assessment.service';
import { csvLine } from '../../reports/document';

let t: TestDb;
beforeAll(async () => {
  t = await freshDb();
});
afterAll(() => t.drop());

const HYPERLINK = '=HYPERLINK("http://x")';

async function world() {
  const region = await make.region(t.knex);
  const market = await make.market(t.knex, region.id);
  await make.tariff(t.knex, region.id);
  const acquirer = await make.acquirer(t.knex, region.id);
  const terminal = await make.terminal(t.knex, region.id, market.id, acquirer.id);
  const stalls = [];
  for (const [code, name] of [
    ['A-01', HYPERLINK],
    ['A-02', '@SUM(1)'],
    ['A-03', '-2+3'],
    ['A-04', '\tcmd'],
  ]) {
    const stall = await make.stall(t.knex, region.id, market.id, { code });
    const trader = await make.trader(t.knex, region.id, { name });
    await make.tenancy(t.knex, region.id, stall.id, trader.id);
    stalls.push(stall);
  }
  const { app, deps } = testApp(t.knex);
  const officer = tokenFor({ role: 'officer', sub: 'officer', regionId: region.id });
  return { region, market, terminal, stalls, app, deps, officer };
}

const csvOf = (text: string) => parse(text, { relax_column_count: true }) as string[][];

test('the arrears CSV writes trader names that look like formulas as text', async () => {
  const w = await world();
  await assessDay(w.deps, w.region.code, '2026-05-25');
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
  const token = tokenFor({
    role: 'terminal',
    sub: w.terminal.id,
    terminalId: w.terminal.id,
    regionId: w.region.id,
    marketId: w.market.id,
  });
  const paid = await request(w.app)
    .post('/api/v1/payments/card')
    .set('Authorization', `Bearer ${token}`)
    .send(cardBody({ stall: w.stalls[0], terminal: w.terminal }, { amount: '3000', paidAt: '2026-06-02T03:00:00Z' }));
  expect(paid.status).toBe(201);
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
