// Two candidates that fit a key equally are never guessed between (issue 12): two card payments
// at one terminal on one day with the same approval code, amount and card, and one line of the
// bank's real BNI layout (no RRN) that either could be. The day shows one ambiguous-match
// exception listing both payments and the line, and neither payment is reported unsettled nor
// the line unknown; an officer links the line to one of them (only a candidate may be chosen),
// and the other then stands as what it is: in the ledger, not settled.
import type { Deps } from '../../api/core/deps';
import { recordCardPayment } from '../../api/payments/payments.service';
import { importBankFile } from '../../api/reconcile/import.service';
import { reconcileDay } from '../../api/reconcile/reconcile.service';
import { resolveException } from '../../api/reconcile/resolve.service';
import { testDeps } from '../support/app';
import { freshDb, type TestDb } from '../support/db';
import * as make from '../support/make';
import { officer } from '../support/master-data-client';

const HEADER =
  'PROC DATE,MID,OB,GB,SEQ,TYPE,TRX DATE,AUTH,CARD NO,AMOUNT,TID,JENIS TRX,PTR,RATE,DISC AMOUNT,AIR FARE,PLAN,SS AMOUNT,SS FEE TYPE,FLAG,NETT AMOUNT,MERCHANT ACCOUNT,MERCHANT NAME';
const bniRow = (seq: string, auth: string, card: string, amount: string, disc: string, nett: string) =>
  `25/11/2026,908032071,00080,67377,${seq},M,24/11/2026,${auth},${card},${amount},90807101,,0,0.15,${disc},0,,0,0,,${nett},0000000889198883,RETRIBUSI PASAR UJI`;

let db: TestDb;
let deps: Deps;
beforeAll(async () => {
  db = await freshDb();
  deps = testDeps(db.knex);
});
afterAll(() => db.drop());

async function day() {
  const region = await make.region(db.knex);
  const market = await make.market(db.knex, region.id);
  const stall = await make.stall(db.knex, region.id, market.id);
  const trader = await make.trader(db.knex, region.id);
  await make.tenancy(db.knex, region.id, stall.id, trader.id);
  const acquirer = await make.acquirer(db.knex, region.id, { mdrRate: '0.0015' });
  await db.knex('acquirers').where({ id: acquirer.id }).update({ mdr_rounding: 'rupiah' });
  const t = await make.terminal(db.knex, region.id, market.id, acquirer.id, { tid: '90807101', mid: '908032071' });
  const pay = async (n: number, approvalCode: string, maskedPan: string) =>
    (
      await recordCardPayment(
        deps,
        { role: 'terminal', sub: t.id, terminalId: t.id, regionId: region.id, marketId: market.id },
        {
          clientTxnId: `amb-${n}`,
          stallId: stall.id,
          amount: '135000',
          paidAt: `2026-11-24T0${n}:00:00+07:00`,
          card: {
            tid: '90807101',
            mid: '908032071',
            stan: `00000${n}`,
            rrn: `63280000000${n}`,
            approvalCode,
            maskedPan,
            responseCode: '00',
          },
        },
      )
    ).body.paymentId as string;
  return { region, acquirer, pay };
}

async function open(regionId: string) {
  return db.knex('reconciliation_exceptions').where({ region_id: regionId, status: 'open' }).orderBy('kind');
}

test('two payments the one line fits equally: one ambiguous-match listing them, nothing guessed, then a link by hand', async () => {
  const { region, acquirer, pay } = await day();
  const p1 = await pay(1, '532048', '537176******7982');
  const p2 = await pay(2, '532048', '537176******7982');
  const file = [HEADER, bniRow('001', '532048', '537176XXXXXX7982', '135000', '203', '134797'), 'STOP', ''].join(
    '\r\n',
  );
  await importBankFile(deps, {
    regionId: region.id,
    kind: 'settlement',
    acquirerCode: acquirer.code,
    content: Buffer.from(file),
    source: 'upload',
  });
  await reconcileDay(deps, region.id, '2026-11-24');

  const [ambiguous, ...rest] = await open(region.id);
  expect(rest).toEqual([]);
  expect(ambiguous.kind).toBe('ambiguous-match');
  expect(ambiguous.details.payments.map((c: { paymentId: string }) => c.paymentId).sort()).toEqual([p1, p2].sort());
  expect(ambiguous.details.lines).toHaveLength(1);
  expect(await db.knex('settlement_matches').where({ region_id: region.id })).toEqual([]);

  const lineId = ambiguous.details.lines[0].settlementLineId;
  const who = officer(region.id);
  await expect(
    resolveException(deps, who, ambiguous.id, {
      resolution: 'link',
      note: 'slip checked',
      paymentId: '00000000-0000-4000-8000-000000000000',
      settlementLineId: lineId,
    }),
  ).rejects.toMatchObject({ code: 'not-a-candidate' });
  const done = await resolveException(deps, who, ambiguous.id, {
    resolution: 'link',
    note: 'the EDC slip shows 08:00',
    paymentId: p1,
    settlementLineId: lineId,
  });
  expect(done.reconciliation.matched.count).toBe(1);
  const after = await db.knex('reconciliation_exceptions').where({ region_id: region.id }).orderBy('kind');
  expect(after.map((e) => [e.kind, e.status, e.payment_id])).toEqual([
    ['ambiguous-match', 'resolved', null],
    ['in-ledger-not-settled', 'open', p2],
  ]);
});

test('the masked card breaks the tie: same TID, code and amount, other cards, each pairs with its own line', async () => {
  const { region, acquirer, pay } = await day();
  const p1 = await pay(1, '575907', '519893******6400');
  const p2 = await pay(2, '575907', '537176******6163');
  const file = [
    HEADER,
    bniRow('001', '575907', '537176XXXXXX6163', '135000', '203', '134797'),
    bniRow('002', '575907', '519893XXXXXX6400', '135000', '203', '134797'),
    'STOP',
    '',
  ].join('\r\n');
  await importBankFile(deps, {
    regionId: region.id,
    kind: 'settlement',
    acquirerCode: acquirer.code,
    content: Buffer.from(file),
    source: 'upload',
  });
  const s = await reconcileDay(deps, region.id, '2026-11-24');
  expect(s.exceptions.open).toBe(0);
  const pairs = await db
    .knex('settlement_matches as m')
    .join('settlement_lines as l', 'l.id', 'm.settlement_line_id')
    .where('m.region_id', region.id)
    .select('m.payment_id', 'l.masked_pan', 'm.method');
  expect(pairs.sort((a, b) => a.masked_pan.localeCompare(b.masked_pan))).toEqual([
    { payment_id: p1, masked_pan: '519893******6400', method: 'card' },
    { payment_id: p2, masked_pan: '537176******6163', method: 'card' },
  ]);
});
