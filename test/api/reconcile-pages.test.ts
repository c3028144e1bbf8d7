// Reconciliation finished in the pages (issue 17, item 3), over HTTP on a real database: the day
// is built from the real BNI debit settlement file (test/browser/reconcile-world.ts), uploaded
// through the page's form as the bank handed it out, run from the page; each difference offers
// only the decisions that fit its kind, each said in a line; a link is chosen from a list of
// candidates; every refusal is the same page with an Indonesian message in that difference's
// form and what was typed kept; days without transactions say so; the auditor's decision log
// across days and its CSV for Excel in Indonesian settings.
import request from 'supertest';
import type { Express } from 'express';
import { parse } from 'csv-parse/sync';
import { freshDb, type TestDb } from '../support/db';
import { type Account, pagesLogin } from '../support/pages-session';
import { tokenFor } from '../support/app';
import * as make from '../support/make';
import { readConformanceBytes } from '../support/conformance-dir';
import {
  BNI_FILE,
  bniFileBytes,
  exceptionOf,
  reconcileApp,
  reconcileRegion,
  type ReconcileRegion,
} from '../browser/reconcile-world';
import { REFUSAL } from '../../api/pages/reconcile-decisions';
import { LOG_CSV_HEADER } from '../../api/pages/reconcile-log.views';
import type { Deps } from '../../api/core/deps';

let t: TestDb;
let app: Express;
let deps: Deps;
let w: ReconcileRegion;

beforeAll(async () => {
  t = await freshDb();
  ({ app, deps } = reconcileApp(t.knex));
  w = await reconcileRegion(t.knex, deps, 'api');
}, 180000);
afterAll(() => t.drop());

const login = (user: Account) => pagesLogin(app, user, { home: '/rekonsiliasi' });

/** The words a person reads: tags, attributes and the style sheet left out. */
const visible = (html: string) =>
  html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#(\d+);/g, (_m, c) => String.fromCharCode(Number(c)))
    .replace(/\s+/g, ' ');

/** The section of one difference on the day page. */
function panel(html: string, exceptionId: string): string {
  const start = html.indexOf(`<section class="panel" id="selisih-${exceptionId}"`);
  if (start < 0) throw new Error(`no panel for ${exceptionId}`);
  return html.slice(start, html.indexOf('</section>', start));
}

const optionsOf = (html: string, selectName: string) => {
  const select = new RegExp(`<select[^>]*name="${selectName}"[^>]*>([\\s\\S]*?)</select>`).exec(html)?.[1] ?? '';
  return [...select.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]).filter(Boolean);
};
const radiosOf = (html: string, name: string) =>
  [
    ...html.matchAll(
      new RegExp(`<input type="radio" id="[^"]+" name="${name}" value="([^"]+)" aria-label="([^"]+)"`, 'g'),
    ),
  ].map((m) => ({ value: m[1], label: visible(m[2]) }));

const ENGLISH = /\b(already|matched|candidate|exception|refused|not found|required|invalid|the file)\b/i;

/** A multipart upload as the form sends it. */
function upload(
  agent: ReturnType<typeof request.agent>,
  fields: Record<string, string>,
  file?: { bytes: Buffer; name: string },
) {
  let req = agent.post('/rekonsiliasi/berkas');
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  if (file) req = req.attach('berkas', file.bytes, { filename: file.name, contentType: 'text/csv' });
  return req;
}

const bankFiles = () => t.knex('bank_files').where({ region_id: w.region.id });

test('the calendar before any file: the file day is "Belum direkonsiliasi", days without transactions "Tidak ada transaksi"', async () => {
  const { agent } = await login(w.users.officer);
  const cal = await agent.get('/rekonsiliasi');
  expect(cal.status).toBe(200);
  expect(cal.text).toMatch(
    new RegExp(`href="/rekonsiliasi/${w.date}" aria-label="20 Mei 2020: Belum direkonsiliasi" data-state="none"`),
  );
  expect(cal.text).toMatch(
    /href="\/rekonsiliasi\/2020-05-11" aria-label="11 Mei 2020: Tidak ada transaksi" data-state="empty"><span class="n">11<\/span><span class="long">Tidak ada transaksi<\/span>/,
  );
  expect(cal.text).toMatch(/<div class="day future" aria-label="23 Mei 2020: belum tiba">/);
  expect(visible(cal.text)).toContain('Tidak ada transaksi: 21');
  expect(visible(cal.text)).not.toMatch(/pengecualian/i);
  // The upload form offers the region's bank and the statement, by name.
  expect(optionsOf(cal.text, 'sumber')).toEqual([w.acquirer.code, 'rekening-koran']);
  expect(visible(cal.text)).toContain('BNI Debit — setelmen kartu');
  expect(cal.text).toContain('enctype="multipart/form-data"');
  const empty = await agent.get('/rekonsiliasi/2020-05-11');
  expect(visible(empty.text)).toContain('Tidak ada transaksi: tidak ada pembayaran kartu atau QRIS di sistem');
  expect(empty.text).not.toContain('Belum direkonsiliasi');
});

test('an upload without the token, by the auditor, without a source or of a file that is no BNI report stores nothing; the refusal is Indonesian at the form', async () => {
  const officer = await login(w.users.officer);
  const auditor = await login(w.users.auditor);
  const file = { bytes: bniFileBytes(), name: BNI_FILE };
  expect((await upload(officer.agent, { sumber: w.acquirer.code }, file)).status).toBe(403);
  expect((await upload(officer.agent, { _csrf: auditor.csrf, sumber: w.acquirer.code }, file)).status).toBe(403);
  const byAuditor = await upload(auditor.agent, { _csrf: auditor.csrf, sumber: w.acquirer.code }, file);
  expect(byAuditor.status).toBe(403);
  expect(visible(byAuditor.text)).toContain('Akses ditolak');
  expect((await auditor.agent.get('/rekonsiliasi')).text).not.toContain('/rekonsiliasi/berkas');

  const noSource = await upload(officer.agent, { _csrf: officer.csrf, sumber: '' }, file);
  expect(noSource.status).toBe(400);
  expect(visible(noSource.text)).toContain('Pilih sumber berkas');

  const broken = await officer.agent
    .post('/rekonsiliasi/berkas')
    .set('Content-Type', 'multipart/form-data; boundary=----batas')
    .send('------batas\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\nterpotong');
  expect(broken.status).toBe(400);
  expect(visible(broken.text)).toContain('Formulir unggah tidak terbaca. Muat ulang halaman lalu coba lagi.');

  const noFile = await upload(officer.agent, { _csrf: officer.csrf, sumber: w.acquirer.code });
  expect(noFile.status).toBe(400);
  expect(visible(noFile.text)).toContain('Pilih berkas yang akan diunggah.');

  const junk = await upload(
    officer.agent,
    { _csrf: officer.csrf, sumber: w.acquirer.code, kembali: w.date },
    { bytes: Buffer.from('nama,jumlah\r\nbudi,3000\r\n'), name: 'catatan.csv' },
  );
  expect(junk.status).toBe(422);
  const alert =
    /<p class="note bad" role="alert" id="galat-unggah" data-code="settlement-file-refused">([^<]+)<\/p>/.exec(
      junk.text,
    );
  expect(alert).not.toBeNull();
  expect(visible(alert![1])).toMatch(/^Berkas ditolak \(baris 1\): Tata letak berkas tidak dikenali/);
  expect(visible(alert![1])).not.toMatch(ENGLISH);
  // The same day page, the upload form open and its source still chosen.
  expect(junk.text).toContain('<h1>Rekonsiliasi Rabu, 20 Mei 2020</h1>');
  expect(junk.text).toContain('<details class="resolve panel" id="unggah" open>');
  expect(junk.text).toContain(`<option value="${w.acquirer.code}" selected>`);
  expect(await bankFiles()).toHaveLength(0);
});

test('the officer uploads the real BNI file from the page; the same file again is one import', async () => {
  const { agent, csrf } = await login(w.users.officer);
  const res = await upload(agent, { _csrf: csrf, sumber: w.acquirer.code }, { bytes: bniFileBytes(), name: BNI_FILE });
  expect(res.status).toBe(303);
  const [file] = await bankFiles();
  expect(file).toMatchObject({
    kind: 'settlement',
    format: 'bni',
    name: BNI_FILE,
    source: 'upload',
    imported_by: w.users.officer.id,
    line_count: w.lines.all.length,
    settlement_date: '2020-05-21',
  });
  expect(res.headers.location).toBe(`/rekonsiliasi/${w.date}?berkas=${file.id}#berkas`);
  const day = await agent.get(res.headers.location.replace(/#.*/, ''));
  const note = visible(day.text);
  expect(note).toContain(`Berkas “${BNI_FILE}” diimpor. ${w.lines.all.length} baris setelmen BNI Debit (format BNI)`);
  expect(note).toContain('Tanggal transaksi: 20 Mei 2020.');
  expect(day.text).toContain(`action="/rekonsiliasi/${w.date}/jalankan"`);
  expect(note).toContain('Hari ini belum direkonsiliasi.');

  const again = await upload(
    agent,
    { _csrf: csrf, sumber: w.acquirer.code },
    { bytes: bniFileBytes(), name: BNI_FILE },
  );
  expect(again.headers.location).toBe(`/rekonsiliasi/${w.date}?berkas=${file.id}&ulang=1#berkas`);
  expect(visible((await agent.get(again.headers.location.replace(/#.*/, ''))).text)).toContain(
    'sudah pernah diimpor sebelumnya; tidak ada yang diimpor dua kali',
  );
  expect(await bankFiles()).toHaveLength(1);
});

test('the auditor cannot run the day; the officer runs it from the page and the differences are there', async () => {
  const auditor = await login(w.users.auditor);
  expect(
    (await auditor.agent.post(`/rekonsiliasi/${w.date}/jalankan`).type('form').send({ _csrf: auditor.csrf })).status,
  ).toBe(403);
  expect(await t.knex('reconciliation_runs').where({ region_id: w.region.id })).toEqual([]);
  const { agent, csrf } = await login(w.users.officer);
  expect((await agent.post(`/rekonsiliasi/${w.date}/jalankan`).type('form').send({})).status).toBe(403);
  expect((await agent.post('/rekonsiliasi/2020-05-23/jalankan').type('form').send({ _csrf: csrf })).status).toBe(422);
  const res = await agent.post(`/rekonsiliasi/${w.date}/jalankan`).type('form').send({ _csrf: csrf });
  expect(res.status).toBe(303);
  expect(res.headers.location).toBe(`/rekonsiliasi/${w.date}?dijalankan=1`);
  const run = await t.knex('reconciliation_runs').where({ region_id: w.region.id, business_date: w.date }).first();
  expect(run.summary.status).toBe('open');
  const open = await t
    .knex('reconciliation_exceptions')
    .where({ region_id: w.region.id, status: 'open' })
    .orderBy('kind')
    .pluck('kind');
  expect(open).toEqual([
    'ambiguous-match',
    'amount-mismatch',
    'in-ledger-not-settled',
    'settled-not-in-ledger',
    'settled-not-in-ledger',
  ]);
  const day = await agent.get(res.headers.location);
  const text = visible(day.text);
  // Matched: every line but the misread, the missing and the ambiguous one; the ledger has every
  // line but the missing one, and the twin twice.
  const n = w.lines.all.length;
  expect(text).toContain(`Rekonsiliasi dijalankan: 5 selisih terbuka, ${n - 3} dari ${n} transaksi cocok dengan bank.`);
  expect(text).toContain('⚠ 5 selisih terbuka menunggu keputusan.');
  expect(text).not.toMatch(/pengecualian/i);
  // The bank by its name, not its code; the calendar cell now says how many.
  expect(day.text).toContain('<th scope="row">BNI Debit</th>');
  expect((await agent.get('/rekonsiliasi')).text).toMatch(
    new RegExp(`href="/rekonsiliasi/${w.date}" aria-label="20 Mei 2020: 5 selisih terbuka" data-state="exceptions"`),
  );
});

test('each difference offers only the decisions that fit its kind, each with a line saying what it does, and lists the candidates to link', async () => {
  const { agent } = await login(w.users.officer);
  const day = (await agent.get(`/rekonsiliasi/${w.date}`)).text;
  const unknownLine = await exceptionOf(t.knex, w.region.id, 'settled-not-in-ledger', w.lines.mistyped.approvalCode!);
  const missingLine = await exceptionOf(t.knex, w.region.id, 'settled-not-in-ledger', w.lines.missing.approvalCode!);
  const unsettled = await exceptionOf(t.knex, w.region.id, 'in-ledger-not-settled', w.misreadCode);
  const mismatch = await exceptionOf(t.knex, w.region.id, 'amount-mismatch');
  const ambiguous = await exceptionOf(t.knex, w.region.id, 'ambiguous-match');

  expect(optionsOf(panel(day, unknownLine.id), 'resolution')).toEqual(['accept-bank', 'link', 'reversed']);
  expect(optionsOf(panel(day, unsettled.id), 'resolution')).toEqual(['link', 'reversed', 'write-off']);
  expect(optionsOf(panel(day, mismatch.id), 'resolution')).toEqual(['accept-bank', 'write-off']);
  expect(optionsOf(panel(day, ambiguous.id), 'resolution')).toEqual(['link']);
  expect(visible(panel(day, mismatch.id))).toMatch(
    /Terima nominal bank\s*: Nominal yang disetelmen bank dianggap benar; jurnal tidak diubah, alasannya dicatat\./,
  );
  expect(visible(panel(day, mismatch.id))).toContain('Selisih nominal');
  // Never an id typed by hand.
  const idInputs = day.match(/<input[^>]*name="(paymentId|settlementLineId|terminalId|stallId)"[^>]*>/g) ?? [];
  expect(idInputs.length).toBeGreaterThan(0);
  expect(idInputs.filter((i) => !i.includes('type="radio"'))).toEqual([]);

  // The bank's line the ledger lacks: the payment posted with the misread code is offered first
  // (same terminal, same amount), with what identifies it.
  const offered = radiosOf(panel(day, unknownLine.id), 'paymentId');
  expect(offered[0].value).toBe(w.paymentIds.mistyped);
  expect(offered[0].label).toContain(`TID ${w.lines.mistyped.tid}`);
  expect(offered[0].label).toContain(`kode otorisasi ${w.misreadCode}`);
  expect(offered[0].label).toMatch(/kartu \d{6}\*+\d{4}/);
  expect(offered[0].label).toMatch(/^Pembayaran 20\/05\/2020 \d\d\.\d\d WIB/);
  // The unsettled payment offers the bank lines no payment has: the misread one first.
  const lines = radiosOf(panel(day, unsettled.id), 'settlementLineId');
  expect(lines[0].value).toBe(unknownLine.settlement_line_id);
  expect(lines[0].label).toContain(`kode otorisasi ${w.lines.mistyped.approvalCode}`);
  expect(lines[0].label).toContain(`berkas ${BNI_FILE} baris`);
  // The ambiguous match offers its own candidates, and only those.
  expect(
    radiosOf(panel(day, ambiguous.id), 'paymentId')
      .map((r) => r.value)
      .sort(),
  ).toEqual([w.paymentIds.twin1, w.paymentIds.twin2].sort());
  expect(radiosOf(panel(day, ambiguous.id), 'settlementLineId')).toHaveLength(1);
  // Accepting a line: the stalls someone occupied that day, of the terminal's market; the
  // terminal is the one of the line's TID, so none is asked for.
  const stallOptions = optionsOf(panel(day, missingLine.id), 'stallId');
  expect(stallOptions.sort()).toEqual(w.stalls.map((s) => s.id).sort());
  expect(stallOptions).not.toContain(w.vacant.id);
  expect(panel(day, missingLine.id)).not.toContain('name="terminalId"');
  expect(visible(panel(day, missingLine.id))).toContain(
    `Bukti bayar diterbitkan atas terminal TID ${w.lines.missing.tid}`,
  );
});

test('the officer links the bank line to the payment chosen from the list; the unsettled payment it answers clears', async () => {
  const { agent, csrf } = await login(w.users.officer);
  const unknownLine = await exceptionOf(t.knex, w.region.id, 'settled-not-in-ledger', w.lines.mistyped.approvalCode!);
  const unsettled = await exceptionOf(t.knex, w.region.id, 'in-ledger-not-settled', w.misreadCode);
  const res = await agent.post(`/rekonsiliasi/pengecualian/${unknownLine.id}/selesaikan`).type('form').send({
    _csrf: csrf,
    resolution: 'link',
    paymentId: w.paymentIds.mistyped,
    stallId: '',
    note: 'Slip EDC menunjukkan kode otorisasi salah ketik di terminal',
  });
  expect(res.status).toBe(303);
  expect(res.headers.location).toBe(`/rekonsiliasi/${w.date}?resolved=1`);
  expect(
    await t.knex('settlement_matches').where({ region_id: w.region.id, payment_id: w.paymentIds.mistyped }).first(),
  ).toMatchObject({ settlement_line_id: unknownLine.settlement_line_id, method: 'manual' });
  expect(await t.knex('reconciliation_decisions').where({ exception_id: unknownLine.id })).toMatchObject([
    {
      resolution: 'link',
      decided_by: w.users.officer.id,
      payment_id: w.paymentIds.mistyped,
      settlement_line_id: unknownLine.settlement_line_id,
    },
  ]);
  expect((await t.knex('reconciliation_exceptions').where({ id: unsettled.id }).first()).status).toBe('cleared');
  const day = await agent.get(res.headers.location);
  expect(visible(day.text)).toContain('Keputusan disimpan; hari ini direkonsiliasi ulang.');
  expect(visible(panel(day.text, unknownLine.id))).toContain(
    'Pasangkan dengan pembayaran: “Slip EDC menunjukkan kode otorisasi salah ketik di terminal” — Rina Kartika',
  );
});

/** Posts a decision and returns the answer with the panel's alert and form. */
async function decide(
  who: { agent: ReturnType<typeof request.agent>; csrf: string },
  exceptionId: string,
  fields: Record<string, string>,
) {
  const res = await who.agent
    .post(`/rekonsiliasi/pengecualian/${exceptionId}/selesaikan`)
    .type('form')
    .send({ _csrf: who.csrf, ...fields });
  const section = res.status === 303 ? '' : panel(res.text, exceptionId);
  const alert = /<p class="note bad" role="alert" id="galat-([^"]+)" data-code="([^"]*)">([^<]*)<\/p>/.exec(section);
  return { res, section, alert: alert ? { id: alert[1], code: alert[2], text: visible(alert[3]) } : undefined };
}

test('refused decisions: the message is Indonesian, inside that difference’s form, and the form keeps what was typed', async () => {
  const officer = await login(w.users.officer);
  const missingLine = await exceptionOf(t.knex, w.region.id, 'settled-not-in-ledger', w.lines.missing.approvalCode!);
  const mismatch = await exceptionOf(t.knex, w.region.id, 'amount-mismatch');
  const ambiguous = await exceptionOf(t.knex, w.region.id, 'ambiguous-match');
  const matched = await t
    .knex('settlement_matches')
    .where({ region_id: w.region.id, method: 'card' })
    .first('payment_id');

  const cases: [string, Record<string, string>, number, string, string][] = [
    [
      missingLine.id,
      { resolution: 'write-off', note: 'dihapus saja' },
      422,
      'decision-does-not-fit',
      REFUSAL['decision-does-not-fit'],
    ],
    [
      missingLine.id,
      { resolution: 'accept-bank', stallId: w.vacant.id, note: 'pedagang A-05 membayar' },
      422,
      'stall-not-occupied',
      REFUSAL['stall-not-occupied'],
    ],
    [
      missingLine.id,
      { resolution: 'accept-bank', note: 'lupa memilih los' },
      422,
      'stall-required',
      REFUSAL['stall-required'],
    ],
    [
      missingLine.id,
      { resolution: 'link', paymentId: matched.payment_id, note: 'pasangkan dengan yang sudah cocok' },
      409,
      'already-matched',
      REFUSAL['already-matched'],
    ],
    [
      ambiguous.id,
      {
        resolution: 'link',
        paymentId: w.paymentIds.mistyped,
        settlementLineId: String(
          (await t.knex('reconciliation_exceptions').where({ id: ambiguous.id }).first()).details.lines[0]
            .settlementLineId,
        ),
        note: 'bukan kandidatnya',
      },
      422,
      'not-a-candidate',
      REFUSAL['not-a-candidate'],
    ],
    [
      mismatch.id,
      { resolution: 'write-off', note: 'x' },
      400,
      'invalid-input',
      'Tuliskan alasan keputusan (paling sedikit 3 huruf).',
    ],
  ];
  for (const [id, fields, status, code, message] of cases) {
    const { res, section, alert } = await decide(officer, id, fields);
    expect([code, res.status]).toEqual([code, status]);
    expect(alert).toEqual({ id, code, text: message });
    expect(alert!.text).not.toMatch(ENGLISH);
    // What was typed and chosen is still in the form, which is open.
    expect(section).toContain('<details class="resolve" open>');
    if (code !== 'decision-does-not-fit') expect(section).toContain(`<option value="${fields.resolution}" selected>`);
    else expect(section).not.toContain(`<option value="${fields.resolution}"`);
    expect(section).toContain(`>${fields.note}</textarea>`);
    // The form posts back to its own difference (the browser lands on it).
    expect(section).toContain(`#selisih-${id}"`);
    expect(visible(res.text)).not.toMatch(/Keputusan ditolak:|pengecualian/);
  }
  expect(
    await t
      .knex('reconciliation_exceptions')
      .whereIn('id', [missingLine.id, mismatch.id, ambiguous.id])
      .pluck('status'),
  ).toEqual(['open', 'open', 'open']);
  expect(
    await t.knex('reconciliation_decisions').whereIn('exception_id', [missingLine.id, mismatch.id, ambiguous.id]),
  ).toEqual([]);
});

test('a difference another officer decided meanwhile: the form says so in Indonesian, keeps the reason, and shows their decision', async () => {
  const officer = await login(w.users.officer);
  const mismatch = await exceptionOf(t.knex, w.region.id, 'amount-mismatch');
  const other = tokenFor(
    { role: 'officer', sub: w.users.officer2.id, regionId: w.region.id },
    Date.parse('2020-05-22T03:00:00Z'),
  );
  const api = await request(app)
    .post(`/api/v1/reconciliation-exceptions/${mismatch.id}/resolve`)
    .set('Authorization', `Bearer ${other}`)
    .send({ resolution: 'accept-bank', note: 'Bank mengonfirmasi nominal settlement' });
  expect(api.status).toBe(200);
  const { res, section, alert } = await decide(officer, mismatch.id, {
    resolution: 'write-off',
    note: 'Selisih Rp 1.000 dihapus',
  });
  expect(res.status).toBe(409);
  expect(alert).toEqual({ id: mismatch.id, code: 'exception-not-open', text: REFUSAL['exception-not-open'] });
  expect(section).toContain('>Selisih Rp 1.000 dihapus</textarea>');
  expect(visible(section)).toContain('Terima nominal bank: “Bank mengonfirmasi nominal settlement” — Dimas Saputra');
  expect(await t.knex('reconciliation_decisions').where({ exception_id: mismatch.id }).pluck('decided_by')).toEqual([
    w.users.officer2.id,
  ]);
});

test('accepting the bank line creates the payment for the stall chosen; linking the ambiguous match leaves the other twin unsettled', async () => {
  const officer = await login(w.users.officer);
  const missingLine = await exceptionOf(t.knex, w.region.id, 'settled-not-in-ledger', w.lines.missing.approvalCode!);
  const ok = await decide(officer, missingLine.id, {
    resolution: 'accept-bank',
    stallId: w.stalls[0].id,
    note: '=1+1 terminal mati, struk manual ada',
  });
  expect(ok.res.status).toBe(303);
  const created = await t
    .knex('payments')
    .where({ region_id: w.region.id, client_txn_id: `reconciliation-${missingLine.settlement_line_id}` })
    .first();
  expect(created).toMatchObject({ stall_id: w.stalls[0].id, approval_code: w.lines.missing.approvalCode });
  expect(Number(created.amount)).toBe(Number(w.lines.missing.gross));

  const ambiguous = await exceptionOf(t.knex, w.region.id, 'ambiguous-match');
  const day = (await officer.agent.get(`/rekonsiliasi/${w.date}`)).text;
  const [line] = radiosOf(panel(day, ambiguous.id), 'settlementLineId');
  const linked = await decide(officer, ambiguous.id, {
    resolution: 'link',
    paymentId: w.paymentIds.twin1,
    settlementLineId: line.value,
    note: 'Jam pada slip EDC cocok dengan pembayaran pertama',
  });
  expect(linked.res.status).toBe(303);
  const twin2 = await exceptionOf(t.knex, w.region.id, 'in-ledger-not-settled', w.lines.twin.approvalCode!);
  expect(twin2).toMatchObject({ status: 'open', payment_id: w.paymentIds.twin2 });
});

test("the auditor's decision log across days, and its CSV for Excel in Indonesian settings", async () => {
  const auditor = await login(w.users.auditor);
  const decisions = await t.knex('reconciliation_decisions').where({ region_id: w.region.id });
  expect(decisions.length).toBe(4);
  const page = await auditor.agent.get('/rekonsiliasi/keputusan');
  expect(page.status).toBe(200);
  const rows = [...page.text.matchAll(/<tr data-decision="(\d+)">([\s\S]*?)<\/tr>/g)];
  expect(rows.map((r) => r[1]).sort()).toEqual(decisions.map((d) => String(d.id)).sort());
  const text = visible(page.text);
  for (const who of ['Rina Kartika', 'Dimas Saputra']) expect(text).toContain(who);
  expect(text).toContain('Slip EDC menunjukkan kode otorisasi salah ketik di terminal');
  expect(text).toContain('Terima nominal bank');
  expect(page.text).toContain(`href="/rekonsiliasi/${w.date}#selisih-`);
  expect(text).not.toMatch(/pengecualian/i);
  // A period with nothing in it says so.
  const none = await auditor.agent.get('/rekonsiliasi/keputusan?dari=2019-01-01&sampai=2019-01-31');
  expect(visible(none.text)).toContain('Tidak ada keputusan (1 Januari 2019 sampai 31 Januari 2019).');

  const csv = await auditor.agent
    .get('/rekonsiliasi/keputusan/unduh')
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
  expect(csv.status).toBe(200);
  expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
  expect(csv.headers['content-disposition']).toBe(
    `attachment; filename="log-keputusan-rekonsiliasi-${w.region.code}.csv"`,
  );
  const bytes = csv.body as Buffer;
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const table = parse(bytes.toString('utf8'), { delimiter: ';', bom: true }) as string[][];
  expect(table[0]).toEqual(LOG_CSV_HEADER);
  expect(table).toHaveLength(decisions.length + 1);
  /** A row's cell in the column of this name (none when the header has no such column). */
  const cell = (r: string[], column: string) => r[LOG_CSV_HEADER.indexOf(column)];
  const byKind = new Map(table.slice(1).map((r) => [cell(r, 'Jenis selisih'), r]));
  const mismatch = byKind.get('Selisih nominal')!;
  expect(cell(mismatch, 'Petugas')).toBe('Dimas Saputra');
  expect(cell(mismatch, 'Tanggal usaha')).toBe(w.date);
  // Money with a decimal comma, a negative difference as a number, not text.
  expect(cell(mismatch, 'Selisih')).toBe('-1000,00');
  expect(cell(mismatch, 'Di sistem')).toBe(`${(Number(w.lines.altered.gross) + 1000).toFixed(2).replace('.', ',')}`);
  // A reason that looks like a formula is text.
  expect(table.some((r) => cell(r, 'Alasan') === "'=1+1 terminal mati, struk manual ada")).toBe(true);
  expect(cell(mismatch, 'Waktu keputusan')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);

  const manager = await make.user(t.knex, 'manager', { regionId: w.region.id, marketId: w.market.id });
  const m = await login(manager);
  expect((await m.agent.get('/rekonsiliasi/keputusan')).status).toBe(403);
  expect((await m.agent.get('/rekonsiliasi/keputusan/unduh')).status).toBe(403);
});

// Last: a statement changes what the day's batches are checked against.
test('a statement (MT940) is uploaded as "rekening koran"; one that does not balance is refused in Indonesian', async () => {
  const { agent, csrf } = await login(w.users.officer);
  const bad = 'id_BRI_042801020365703.202107140256.txt';
  const refused = await upload(
    agent,
    { _csrf: csrf, sumber: 'rekening-koran' },
    { bytes: readConformanceBytes('mt940', bad), name: bad },
  );
  expect(refused.status).toBe(422);
  const alert = /id="galat-unggah" data-code="statement-file-refused">([^<]+)</.exec(refused.text);
  expect(visible(alert![1])).toBe(
    'Berkas ditolak (baris 8): Saldo awal ditambah kredit dikurangi debit tidak sama dengan saldo akhir pernyataan. Tidak ada yang diimpor.',
  );
  expect(refused.text).toContain('<option value="rekening-koran" selected>');
  const name = 'id_BTN_IDR_Mock.txt';
  const res = await upload(
    agent,
    { _csrf: csrf, sumber: 'rekening-koran' },
    { bytes: readConformanceBytes('mt940', name), name },
  );
  expect(res.status).toBe(303);
  const statements = await t.knex('bank_files').where({ region_id: w.region.id, kind: 'statement' });
  expect(statements).toMatchObject([{ format: 'mt940', name, source: 'upload', imported_by: w.users.officer.id }]);
  const page = await agent.get(res.headers.location.replace(/#.*/, ''));
  expect(visible(page.text)).toContain('Rekening koran (format MT940): 1 pernyataan');
});
