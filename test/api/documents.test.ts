// Issued documents: numbered per region, kind and year, registered with the SHA-256 of the exact
// bytes handed out, and checked on the public verification page. Drawn with a report of the
// test's own so that the kit (letterhead, QR, page numbers, tables over pages) is tested apart
// from any one report's data.
import request from 'supertest';
import type { Express } from 'express';
import { freshDb, type TestDb } from '../support/db';
import { fixedClock, testApp, tokenFor } from '../support/app';
import * as make from '../support/make';
import { binaryParser, pdfText } from '../support/pdf';
import { firstPagePng, qrOf } from '../support/pdf-qr';
import type { Deps } from '../../api/core/deps';
import type { ReportDefinition } from '../../reports/definition';
import { issuePdfBuffer, parseDocumentNumber } from '../../reports/document';
import { registerReport } from '../../reports/registry';
import { rupiah } from '../../reports/format';

const ROWS = 140;

const sample: ReportDefinition = {
  kind: 'test-sample',
  code: 'UJI',
  title: 'LAPORAN UJI COBA',
  layout: 'portrait',
  scope: 'region',
  needs: ['date'],
  subtitle: async (_deps, req) => [`Tanggal: ${req.date}`],
  covers: async (_deps, req) => ({ date: req.date, rows: ROWS }),
  pdf: async (_deps, _req, pdf) => {
    pdf.heading('Rincian');
    const t = pdf.table([
      { header: 'No', width: 0.08, align: 'right' },
      { header: 'Uraian', width: 0.62 },
      { header: 'Jumlah', width: 0.3, align: 'right' },
    ]);
    for (let i = 1; i <= ROWS; i++)
      t.row([
        String(i),
        `Baris ke-${i}${i === 7 ? ' dengan uraian yang sangat panjang sekali sehingga harus dibungkus ke baris berikutnya di dalam selnya' : ''}`,
        rupiah(String(i * 1000)),
      ]);
    t.row(['', 'JUMLAH', rupiah(String(((ROWS * (ROWS + 1)) / 2) * 1000))], { bold: true, shade: true });
    t.end();
  },
  csv: async () => undefined,
};
registerReport(sample);

let t: TestDb;
let app: Express;
let deps: Deps;
let region: { id: string; code: string };
let officerToken: string;

beforeAll(async () => {
  t = await freshDb();
  ({ app, deps } = testApp(t.knex, fixedClock('2026-11-23T10:53:00Z')));
  region = await make.region(t.knex, { name: 'Kota Uji', timeZone: 'Asia/Jakarta' });
  officerToken = tokenFor({ role: 'officer', sub: 'officer-1', regionId: region.id });
});
afterAll(() => t.drop());

async function issue(): Promise<{ number: string; bytes: Buffer }> {
  const res = await request(app)
    .get('/api/v1/reports/test-sample')
    .query({ date: '2026-11-22' })
    .set('Authorization', `Bearer ${officerToken}`)
    .buffer(true)
    .parse(binaryParser as never);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('application/pdf');
  return { number: res.headers['x-document-number'], bytes: res.body as Buffer };
}

test('a report is numbered per region, kind and year, without repeats', async () => {
  const a = await issue();
  const b = await issue();
  expect(a.number).toBe(`${region.code}-UJI-2026-000001`);
  expect(b.number).toBe(`${region.code}-UJI-2026-000002`);
  expect(parseDocumentNumber(b.number)).toEqual({ regionCode: region.code, code: 'UJI', year: 2026, seq: 2 });
});

test('the PDF carries its number, the local time it was made, page numbers of all pages, and every row', async () => {
  const { number, bytes } = await issue();
  const { text, pages } = pdfText(bytes);
  expect(pages).toBeGreaterThanOrEqual(3);
  expect(text).toContain('PEMERINTAH KOTA UJI');
  expect(text).toContain('LAPORAN UJI COBA');
  expect(text).toContain(`Nomor dokumen: ${number}`);
  // 10:53 UTC is 17.53 in Jakarta.
  expect(text).toContain('Dibuat: 23 November 2026 pukul 17.53 WIB');
  for (let p = 1; p <= pages; p++) expect(text).toContain(`Halaman ${p} dari ${pages}`);
  expect(text).toContain(`Baris ke-${ROWS}`);
  expect(text).toContain('Rp 9.870.000'); // 140 × 141 / 2 × 1,000
  // The table's heading is repeated on each page it runs onto.
  expect(text.split('Uraian').length - 1).toBe(pages);
});

test('the QR on the first page opens the verification page of that number', async () => {
  const { number, bytes } = await issue();
  expect(qrOf(firstPagePng(bytes))).toBe(`http://localhost:3000/verify/${number}`);
});

test('the verification page says genuine, with what the document covers; an unknown number is unknown', async () => {
  const { number } = await issue();
  const page = await request(app).get(`/verify/${number}`);
  expect(page.status).toBe(200);
  expect(page.text).toContain('ASLI');
  expect(page.text).toContain('LAPORAN UJI COBA');
  expect(page.text).toContain('Tanggal: 2026-11-22');
  const json = await request(app).get(`/verify/${number}`).set('Accept', 'application/json');
  expect(json.body).toMatchObject({
    status: 'genuine',
    document: { number, covers: { date: '2026-11-22', rows: ROWS } },
  });

  const unknown = `${region.code}-UJI-2026-999999`;
  const missing = await request(app).get(`/verify/${unknown}`);
  expect(missing.status).toBe(404);
  expect(missing.text).toContain('TIDAK DIKENAL');
  expect((await request(app).get('/verify/not-a-number').set('Accept', 'application/json')).body.status).toBe(
    'unknown',
  );
});

test('the file handed out verifies as genuine; one changed byte makes it altered', async () => {
  const { number, bytes } = await issue();
  const same = await request(app).post(`/verify/${number}`).set('Content-Type', 'application/pdf').send(bytes);
  expect(same.status).toBe(200);
  expect(same.body.status).toBe('genuine');

  const altered = Buffer.from(bytes);
  const at = altered.indexOf('Baris ke-5');
  // Page content is compressed, so change a byte in the middle of the file wherever it falls.
  const i = at >= 0 ? at : Math.floor(altered.length / 2);
  altered[i] = altered[i] ^ 0x01;
  const res = await request(app).post(`/verify/${number}`).set('Content-Type', 'application/pdf').send(altered);
  expect(res.body.status).toBe('altered');
  expect(res.body.received.sha256).not.toBe(res.body.issued.sha256);

  // Another genuine document's bytes do not pass for this one.
  const other = await issue();
  expect(
    (await request(app).post(`/verify/${number}`).set('Content-Type', 'application/pdf').send(other.bytes)).body.status,
  ).toBe('altered');
});

test('a failure while drawing issues nothing: no register row for the number it took', async () => {
  const broken: ReportDefinition = {
    ...sample,
    kind: 'test-broken',
    pdf: async (_d, _r, pdf) => {
      pdf.heading('x');
      throw new Error('boom');
    },
  };
  await expect(issuePdfBuffer(deps, broken, { regionId: region.id, date: '2026-11-22' })).rejects.toThrow('boom');
  const count = await t
    .knex('documents')
    .where({ region_id: region.id, kind: 'test-broken' })
    .count<{ count: string }[]>('* as count');
  expect(count[0].count).toBe('0');
});

test('a report needs its parameters and a caller of its scope', async () => {
  const missing = await request(app).get('/api/v1/reports/test-sample').set('Authorization', `Bearer ${officerToken}`);
  expect(missing.status).toBe(400);
  expect(missing.body.error.details).toEqual({ field: 'date' });
  const other = await make.region(t.knex);
  const foreign = await request(app)
    .get('/api/v1/reports/test-sample')
    .query({ date: '2026-11-22', regionId: other.id })
    .set('Authorization', `Bearer ${officerToken}`);
  expect(foreign.status).toBe(403);
  const unknown = await request(app).get('/api/v1/reports/no-such-kind').set('Authorization', `Bearer ${officerToken}`);
  expect(unknown.status).toBe(404);
});
