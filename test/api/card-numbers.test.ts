// Issue 13, item 4: a full card number (PAN) is never stored or logged. A bank file's card cell
// that shows one is masked in its line and in the copy of the file kept as evidence (and the file
// says so); the database refuses an unmasked PAN in every PAN column; a card payment carrying a
// card number anywhere in its body is refused naming the field; a PAN in a URL is masked in the log.
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import request from 'supertest';
import * as XLSX from '@e965/xlsx';
import { freshDb, type TestDb } from '../support/db';
import { testApp } from '../support/app';
import { pay } from '../support/pay';
import { importWorld } from '../support/world';
import { cardScenario, cardBody } from '../support/scenario';
import { createLogger } from '../../api/core/logger';
import { refuseFullPan } from '../../api/payments/payments.service';
import type { AppError } from '../../api/core/errors';

let t: TestDb;
beforeAll(async () => {
  t = await freshDb();
});
afterAll(() => t.drop());

// 5198931234567896 passes Luhn; the second line is masked as BNI writes it.
const FULL_PAN = '5198931234567896';
const HEADER =
  'PROC DATE,MID,OB,GB,SEQ,TYPE,TRX DATE,AUTH,CARD NO,AMOUNT,TID,JENIS TRX,PTR,RATE,DISC AMOUNT,AIR FARE,PLAN,SS AMOUNT,SS FEE TYPE,FLAG,NETT AMOUNT,MERCHANT ACCOUNT,MERCHANT NAME';
const bniFile = (card: string) =>
  [
    HEADER,
    `21/05/2020,908032071,00080,67377,001,M,20/05/2020,353440,${card},233000,90807101,,0,0.15,350,0,,0,0,,232650,0000000889198883,CSZ*WARUNG SEHAT`,
    '21/05/2020,908032071,00080,67377,002,M,20/05/2020,532048,537176XXXXXX7982,135000,90807101,,0,0.15,203,0,,0,0,,134797,0000000889198883,CSZ*WARUNG SEHAT',
    'STOP',
    '',
  ].join('\r\n');

const importer = () => importWorld(t.knex);

test('a BNI line whose CARD NO is a full PAN is stored masked, in its line and in the kept file, and the file says so', async () => {
  const w = await importer();
  const received = Buffer.from(bniFile(FULL_PAN));
  const result = await w.run({ content: received });
  expect(result.lines).toBe(2);
  expect(result.totals).toMatchObject({ count: 2, panMasked: 1 });

  const lines = await t
    .knex('settlement_lines')
    .where({ region_id: w.region.id })
    .orderBy('line_number')
    .select('masked_pan');
  expect(lines.map((l) => l.masked_pan)).toEqual(['519893******7896', '537176******7982']);

  const file = await t
    .knex('bank_files')
    .where({ region_id: w.region.id, id: result.fileId })
    .first('content', 'sha256', 'size_bytes', 'totals');
  const kept = (file.content as Buffer).toString('latin1');
  expect(kept).not.toContain(FULL_PAN);
  // Masked in place: same length, the lines and the other cells (a 16-digit account) as received.
  expect(kept).toBe(bniFile('519893******7896'));
  expect(file.size_bytes).toBe(received.length);
  expect(file.totals).toMatchObject({ panMasked: 1 });
  // The hash is the received bytes': the same bytes again are the same import.
  expect(file.sha256).toBe(createHash('sha256').update(received).digest('hex'));
  const again = await w.run({ content: received });
  expect(again).toMatchObject({ duplicate: true, fileId: result.fileId, totals: { panMasked: 1 } });
  expect(JSON.stringify(again)).not.toContain(FULL_PAN);
});

test('a workbook whose card column holds a full PAN is refused naming the cell, not the number, and nothing is stored', async () => {
  const w = await importer();
  const rows = bniFile(FULL_PAN)
    .trim()
    .split('\r\n')
    .filter((l) => l !== 'STOP')
    .map((l) => l.split(','));
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows), 'BND350');
  const bytes = XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
  const err = (await w.run({ content: bytes }).then(
    () => undefined,
    (e) => e,
  )) as AppError;
  expect(err?.status).toBe(422);
  expect(err.details).toMatchObject({ sheet: 'BND350', row: 2, column: 'CARD NO', cell: 'I2' });
  expect(JSON.stringify({ message: err.message, details: err.details })).not.toContain(FULL_PAN);
  expect(await t.knex('bank_files').where({ region_id: w.region.id }).count('* as n').first()).toEqual({ n: '0' });
});

/** Inserts a copy of one row of the table with some columns changed; resolves to the error. */
async function insertCopy(
  table: string,
  where: Record<string, string | number>,
  changed: Record<string, string | number>,
): Promise<{ code?: string; constraint?: string } | undefined> {
  const { rows } = await t.knex.raw(
    `select column_name from information_schema.columns where table_schema = current_schema() and table_name = ? and is_identity = 'NO' and is_generated = 'NEVER' order by ordinal_position`,
    [table],
  );
  const columns = (rows as { column_name: string }[]).map((r) => r.column_name);
  const select = columns.map((c) => (c in changed ? t.knex.raw('?', [changed[c]]).toString() : `"${c}"`));
  const filter = Object.keys(where)
    .map((c) => `"${c}" = ?`)
    .join(' and ');
  return t.knex
    .raw(
      `insert into ${table} (${columns.map((c) => `"${c}"`).join(', ')}) select ${select.join(', ')} from ${table} where ${filter} limit 1`,
      Object.values(where),
    )
    .then(
      () => undefined,
      (e) => e,
    );
}

test('the database refuses an unmasked PAN in every PAN column', async () => {
  const w = await importer();
  await w.run({ content: Buffer.from(bniFile('519893XXXXXX7896')) });
  for (const pan of [FULL_PAN, '5198931234******', '519893123***7892', '51989312***7892', '519893XXXXXX7896']) {
    expect(
      await insertCopy(
        'settlement_lines',
        { region_id: w.region.id, line_number: 2 },
        { masked_pan: pan, line_number: 99 },
      ),
    ).toMatchObject({ code: '23514', constraint: 'settlement_lines_masked_pan' });
  }

  const s = await cardScenario(t.knex);
  const { app } = testApp(t.knex);
  await pay(app, s);
  for (const pan of [FULL_PAN, '51989312****7892']) {
    expect(await insertCopy('payments', { region_id: s.region.id }, { masked_pan: pan })).toMatchObject({
      code: '23514',
      constraint: expect.stringMatching(/masked_pan/),
    });
  }
});

test('a card payment whose clientTxnId (or any other field) is a card number is refused naming the field, and nothing is stored', async () => {
  const s = await cardScenario(t.knex);
  const lines: string[] = [];
  const logger = createLogger(
    'info',
    new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  );
  const { app } = testApp(t.knex, { logger });
  const post = (path: string, body: unknown) =>
    request(app)
      .post(path)
      .set('Authorization', `Bearer ${s.terminalToken}`)
      .send(body as object);

  const single = await post('/api/v1/payments/card', cardBody(s, { clientTxnId: '4111111111111111' }));
  expect(single.status).toBe(422);
  expect(single.body.error).toMatchObject({ code: 'full-pan-refused', details: { field: 'clientTxnId' } });
  const printed = await post('/api/v1/payments/card', cardBody(s, { clientTxnId: 'txn-4111-1111-1111-1111' }));
  expect(printed.body.error).toMatchObject({ code: 'full-pan-refused', details: { field: 'clientTxnId' } });
  const nested = await post('/api/v1/payments/card', {
    ...cardBody(s),
    card: { ...cardBody(s).card, note: 'kartu 4111111111111111' },
  });
  expect(nested.body.error).toMatchObject({ code: 'full-pan-refused', details: { field: 'card.note' } });
  const batch = await post('/api/v1/payments/batch', {
    payments: [cardBody(s), cardBody(s, { clientTxnId: '4111111111111111' })],
  });
  expect(batch.status).toBe(422);
  expect(batch.body.error).toMatchObject({ code: 'full-pan-refused', details: { field: 'payments.1.clientTxnId' } });
  for (const res of [single, printed, nested, batch])
    expect(JSON.stringify(res.body)).not.toContain('4111111111111111');
  expect(await t.knex('payments').where({ region_id: s.region.id }).count('* as n').first()).toEqual({ n: '0' });
  expect(lines.join('')).not.toMatch(/4111-?1111-?1111-?1111/);

  // Not refused: a 16-digit id that fails Luhn, and a 15-digit MID that happens to pass it
  // (BRI's MIDs are 15 digits; card.tid and card.mid are the acquirer's ids, not card data).
  const ok = await post('/api/v1/payments/card', cardBody(s, { clientTxnId: '4111111111111112' }));
  expect(ok.status).toBe(201);
  expect(() => refuseFullPan({ ...cardBody(s), card: { ...cardBody(s).card, mid: '000001999082884' } })).not.toThrow();
});

test('a card number in a URL path or query string is masked in the log', async () => {
  const lines: string[] = [];
  const logger = createLogger(
    'info',
    new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  );
  const { app } = testApp(t.knex, { logger });
  await request(app).get('/receipts/4111111111111111').set('Accept', 'application/json');
  await request(app).get('/api/v1/no-such/5198931234567896/x?card=4111111111111111');
  const log = lines.join('');
  const requests = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
  expect(requests.map((l) => l.path)).toEqual(['/receipts/411111******1111', '/api/v1/no-such/519893******7896/x']);
  expect(log).not.toContain('4111111111111111');
  expect(log).not.toContain(FULL_PAN);
  // The same rule for any line that names a URL (the error handler logs the URL with its query).
  logger.error({ url: '/api/v1/x?card=4111111111111111' }, 'unhandled error');
  expect(JSON.parse(lines[lines.length - 1]).url).toBe('/api/v1/x?card=411111******1111');
});
