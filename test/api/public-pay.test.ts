// Issue 16 part 2: the trader pays from the sticker's page. /los/<code> shows what is owed from
// owedOf (each day's fee and each month of sanksi bunga, in the region's order), offers a QRIS
// code for the total or for today, made on the page without login through the terminal's own
// intent path (origin 'public', no terminal, the asking address); the bank's signed notification
// pays it and the ledger allocates it in the region's order; the code's status turns paid with the
// e-karcis. Codes are only for the sticker's stall, and not in bulk (per stall and per address).
import request from 'supertest';
import { freshDb, type TestDb } from '../support/db';
import { ledgerBalanced } from '../support/scenario';
import { connectAcquirer, startSnapBank } from '../support/snap-bank';
import { publicPayWorld, type PublicPayWorld } from '../support/public-pay';
import { owedOf } from '../../api/collection/collection.service';
import { decodeQris } from '../../api/qris/codec/qris-codec';
import { forgetSnapTokens } from '../../api/qris/snap-client';

let t: TestDb;
beforeAll(async () => {
  t = await freshDb(20);
});
afterAll(() => t.drop());

const text = (s: string) =>
  s
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** The owed lines of the page's #rincian table: [kind, what, open amount]. */
function owedRows(page: string): [string, string, string][] {
  const table = /<table id="rincian">([\s\S]*?)<\/table>/.exec(page)?.[1] ?? '';
  return [
    ...table.matchAll(/<tr data-kind="(\w+)"><td>\d+<\/td><td>(.*?)<\/td><td class="num">(.*?)<\/td><\/tr>/g),
  ].map((m) => [m[1], text(m[2]), text(m[3])]);
}

const owed = (w: PublicPayWorld) => owedOf(t.knex, w.region.id, w.stall.id, w.trader.id);
const status = (w: PublicPayWorld, intentId: string, code = w.code) =>
  request(w.app).get(`/los/${code}/qris/${intentId}`).set('accept', 'application/json');

/** The money a payment put on principal (allocations) and on penalty (penalty_allocations), by day. */
async function settled(w: PublicPayWorld, paymentId: string) {
  const principal = await t
    .knex('allocations as al')
    .join('assessments as a', (j) => j.on('a.region_id', 'al.region_id').andOn('a.id', 'al.assessment_id'))
    .where({ 'al.region_id': w.region.id, 'al.payment_id': paymentId })
    .orderBy('al.id')
    .select(t.knex.raw('a.business_date::text as day'), 'al.amount');
  const penalty = await t
    .knex('penalty_allocations as pa')
    .join('penalty_charges as pc', (j) => j.on('pc.region_id', 'pa.region_id').andOn('pc.id', 'pa.penalty_charge_id'))
    .join('assessments as a', (j) => j.on('a.region_id', 'pa.region_id').andOn('a.id', 'pa.assessment_id'))
    .where({ 'pa.region_id': w.region.id, 'pa.payment_id': paymentId })
    .orderBy('pa.id')
    .select(t.knex.raw('a.business_date::text as day'), 'pc.month_no', 'pa.amount');
  return {
    principal: principal.map((r) => [r.day, r.amount]),
    penalty: penalty.map((r) => [r.day, r.month_no, r.amount]),
  };
}

test('the page shows each day and each month of sanksi bunga from owedOf, oldest first, and offers QRIS for the total and for today', async () => {
  const w = await publicPayWorld(t.knex);
  const o = await owed(w);
  expect(o).toMatchObject({ principal: '9000.00', penalty: '120.00', total: '9120.00' });
  const res = await request(w.app).get(`/los/${w.code}`);
  expect(res.status).toBe(200);
  expect(owedRows(res.text)).toEqual([
    ['principal', 'Retribusi 10 September 2026', 'Rp 3.000'],
    ['penalty', 'Sanksi bunga bulan ke-1 atas retribusi 10 September 2026', 'Rp 30'],
    ['penalty', 'Sanksi bunga bulan ke-2 atas retribusi 10 September 2026', 'Rp 30'],
    ['penalty', 'Sanksi bunga bulan ke-3 atas retribusi 10 September 2026', 'Rp 30'],
    ['principal', 'Retribusi 20 Oktober 2026', 'Rp 3.000'],
    ['penalty', 'Sanksi bunga bulan ke-1 atas retribusi 20 Oktober 2026', 'Rp 30'],
    ['principal', 'Retribusi 18 November 2026 (hari ini)', 'Rp 3.000'],
  ]);
  // The same list, line for line, as owedOf gives it.
  expect(owedRows(res.text).map((r) => r[0])).toEqual(o.items.map((i) => i.kind));
  expect(res.text).toContain('Yang harus dibayar: <strong>Rp 9.120</strong>');
  expect(text(res.text)).toContain('Sanksi bunga Rp 120');
  expect(text(res.text)).toContain('Tunggakan hari sebelumnya Rp 6.000 (2 hari)');
  expect(text(res.text)).toContain('Bayar dengan QRIS · Rp 9.120');
  expect(text(res.text)).toContain('Hari ini saja · Rp 3.000');
  expect(res.text).toContain(`action="/los/${w.code}/qris"`);
  // Its one script is allowed by hash, calling back to this origin only; nothing inline else.
  const csp = res.headers['content-security-policy'];
  expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'(;|$)/);
  expect(csp).toContain("connect-src 'self'");
  expect(csp).not.toContain('unsafe-inline');
  expect(res.text).not.toContain(w.trader.name);

  // In the penalty-first order the same debt lists every penalty before the principal.
  await t.knex('regions').where({ id: w.region.id }).update({ allocation_order: 'penalty-first' });
  const first = await request(w.app).get(`/los/${w.code}`);
  expect(owedRows(first.text).map((r) => r[0])).toEqual([
    'penalty',
    'penalty',
    'penalty',
    'penalty',
    'principal',
    'principal',
    'principal',
  ]);
  expect(first.text).toContain('melunasi sanksi bunga lebih dahulu');
});

test('a public code is made for the total and for today only through the intent path: origin public, no terminal, the address, WEB in tag 62', async () => {
  const w = await publicPayWorld(t.knex);
  const all = await w.askCode('semua', { from: '198.51.100.23' });
  expect(all.status).toBe(201);
  expect(all.body).toMatchObject({
    status: 'pending',
    amount: '9120.00',
    image: expect.stringMatching(/^data:image\/png;base64,/),
  });
  expect(all.body.statusUrl).toBe(`/los/${w.code}/qris/${all.body.intentId}`);
  expect(all.body.html).toContain('Rp 9.120');
  const today = await w.askCode('hari-ini', { from: '198.51.100.23' });
  expect(today.status).toBe(201);
  expect(today.body.amount).toBe('3000.00');

  const row = await w.intentRow(all.body.intentId);
  expect(row).toMatchObject({
    origin: 'public',
    terminal_id: null,
    client_ip: '198.51.100.23',
    stall_id: w.stall.id,
    trader_id: w.trader.id,
    acquirer_id: w.qris.id,
    amount: '9120.00',
    superseded_at: null,
  });
  const decoded = decodeQris(row.payload);
  expect(decoded.amount).toBe('9120');
  expect(decoded.additionalData).toMatchObject({ terminalLabel: 'WEB', referenceLabel: row.reference });
  expect(decoded.nationalMerchant?.nmid).toBe('ID1023271450331');
  // Both stay payable: a public code supersedes no other.
  expect((await w.intentRow(all.body.intentId)).superseded_at).toBeNull();

  // A terminal's code supersedes only the terminal's own open codes; a public code supersedes none.
  const terminal = (amount?: string) =>
    request(w.app)
      .post('/api/v1/qris')
      .set('Authorization', `Bearer ${w.terminalToken}`)
      .send({ stallId: w.stall.id, ...(amount ? { amount } : {}) });
  const t1 = await terminal();
  expect(t1.status).toBe(201);
  const t2 = await terminal('5000');
  expect(t2.status).toBe(201);
  expect((await w.intentRow(t1.body.intentId)).superseded_at).not.toBeNull();
  expect((await w.intentRow(all.body.intentId)).superseded_at).toBeNull();
  expect((await w.intentRow(today.body.intentId)).superseded_at).toBeNull();
  const again = await w.askCode('semua');
  expect(again.status).toBe(201);
  expect((await w.intentRow(t2.body.intentId)).superseded_at).toBeNull();
  expect(await w.intentCount({ origin: 'terminal' })).toBe(2);
  expect(await w.intentCount({ origin: 'public' })).toBe(3);
});

test("the bank pays today's code: it settles the oldest day first, the status turns paid with the e-karcis, and the page says what it settled", async () => {
  const w = await publicPayWorld(t.knex);
  const { body: code } = await w.askCode('hari-ini');
  expect((await status(w, code.intentId)).body).toEqual({ status: 'pending', amount: '3000.00' });
  const reference = (await w.intentRow(code.intentId)).reference;
  const paid = await w.bankPays(reference, '3000');
  expect(paid.status).toBe(200);
  expect(paid.body).toMatchObject({ status: 'recorded', amount: '3000.00', flags: [] });

  const seen = await status(w, code.intentId);
  expect(seen.status).toBe(200);
  // Status, amount and the receipt of this one code: nothing of the stall or the trader.
  expect(Object.keys(seen.body).sort()).toEqual(['amount', 'html', 'receipt', 'status']);
  const receipt = await t.knex('receipts').where({ region_id: w.region.id, payment_id: paid.body.paymentId }).first();
  expect(receipt.terminal_id).toBeNull();
  expect(seen.body).toMatchObject({
    status: 'paid',
    amount: '3000.00',
    receipt: {
      serial: 1,
      code: receipt.code,
      url: `/receipts/${receipt.code}`,
      amount: '3000.00',
      lines: [{ label: 'Retribusi 10 September 2026', amount: '3000.00' }],
    },
  });
  expect(seen.body.html).toContain(`href="/receipts/${receipt.code}"`);
  expect(seen.body.html).toContain('E-karcis');
  expect(JSON.stringify(seen.body)).not.toContain(w.trader.name);
  // Oldest first (the region's default order): 10 September's fee, no penalty yet.
  expect(await settled(w, paid.body.paymentId)).toEqual({ principal: [['2026-09-10', '3000.00']], penalty: [] });

  // The page now says today is still open and that the payment settled 10 September.
  const page = await request(w.app).get(`/los/${w.code}`);
  expect(text(page.text)).toContain('Tagihan hari ini (18 November 2026) Rp 3.000 belum dibayar');
  const paymentsTable = /<table id="pembayaran">([\s\S]*?)<\/table>/.exec(page.text)?.[1] ?? '';
  expect(text(paymentsTable)).toContain('QRIS Rp 3.000 retribusi 10 September 2026');
  expect(page.text).not.toContain('/receipts/'); // the stall's page links no receipt
  expect(owedRows(page.text)[0]).toEqual([
    'penalty',
    'Sanksi bunga bulan ke-1 atas retribusi 10 September 2026',
    'Rp 30',
  ]);

  // Then the total: every penalty month and the other days, in the region's order.
  const { body: rest } = await w.askCode('semua');
  expect(rest.amount).toBe('6120.00');
  const restPaid = await w.bankPays((await w.intentRow(rest.intentId)).reference, '6120');
  expect(await settled(w, restPaid.body.paymentId)).toEqual({
    principal: [
      ['2026-10-20', '3000.00'],
      ['2026-11-18', '3000.00'],
    ],
    penalty: [
      ['2026-09-10', 1, '30.00'],
      ['2026-09-10', 2, '30.00'],
      ['2026-09-10', 3, '30.00'],
      ['2026-10-20', 1, '30.00'],
    ],
  });
  const restSeen = await status(w, rest.intentId);
  expect(restSeen.body.receipt.serial).toBe(2);
  expect(restSeen.body.receipt.lines.map((l: { label: string }) => l.label)).toEqual([
    'Sanksi bunga bulan ke-1 atas retribusi 10 September 2026',
    'Sanksi bunga bulan ke-2 atas retribusi 10 September 2026',
    'Sanksi bunga bulan ke-3 atas retribusi 10 September 2026',
    'Retribusi 20 Oktober 2026',
    'Sanksi bunga bulan ke-1 atas retribusi 20 Oktober 2026',
    'Retribusi 18 November 2026',
  ]);
  expect(await owed(w)).toMatchObject({ total: '0.00', penalty: '0.00', credit: '0.00' });
  expect(
    await t
      .knex('penalty_charges')
      .where({ region_id: w.region.id, stall_id: w.stall.id })
      .sum('open_amount as s')
      .first(),
  ).toEqual({ s: '0.00' });
  const after = await request(w.app).get(`/los/${w.code}`);
  expect(after.text).toContain('Tidak ada tagihan terutang');
  expect(after.text).not.toContain('<form method="post"');
  expect(await ledgerBalanced(t.knex, w.region.id)).toBe(true);
});

test('in a penalty-first region the same payment settles every penalty month before the oldest day', async () => {
  const w = await publicPayWorld(t.knex, { allocationOrder: 'penalty-first' });
  const { body: code } = await w.askCode('hari-ini');
  const paid = await w.bankPays((await w.intentRow(code.intentId)).reference, '3000');
  expect(await settled(w, paid.body.paymentId)).toEqual({
    principal: [['2026-09-10', '2880.00']],
    penalty: [
      ['2026-09-10', 1, '30.00'],
      ['2026-09-10', 2, '30.00'],
      ['2026-09-10', 3, '30.00'],
      ['2026-10-20', 1, '30.00'],
    ],
  });
  const p = await t.knex('payments').where({ region_id: w.region.id, id: paid.body.paymentId }).first();
  expect(p).toMatchObject({
    penalty_amount: '120.00',
    allocated_amount: '3000.00',
    credit_amount: '0.00',
    terminal_id: null,
  });
  const seen = await status(w, code.intentId);
  expect(seen.body.receipt.lines[0]).toEqual({
    label: 'Sanksi bunga bulan ke-1 atas retribusi 10 September 2026',
    amount: '30.00',
  });
  expect(seen.body.receipt.lines.at(-1)).toEqual({ label: 'Retribusi 10 September 2026', amount: '2880.00' });
  expect(await owed(w)).toMatchObject({ penalty: '0.00', principal: '6120.00' });
  expect(await ledgerBalanced(t.knex, w.region.id)).toBe(true);
});

test('two codes for the same days both paid: the second payment becomes credit, flagged, never a double charge', async () => {
  const w = await publicPayWorld(t.knex);
  const first = await w.askCode('semua');
  const second = await w.askCode('semua');
  expect([first.body.amount, second.body.amount]).toEqual(['9120.00', '9120.00']);
  const a = await w.bankPays((await w.intentRow(first.body.intentId)).reference, '9120');
  const b = await w.bankPays((await w.intentRow(second.body.intentId)).reference, '9120');
  expect(a.body.flags).toEqual([]);
  expect(b.body.flags).toContain('double-payment');
  const pb = await t.knex('payments').where({ region_id: w.region.id, id: b.body.paymentId }).first();
  expect(pb).toMatchObject({ allocated_amount: '0.00', penalty_amount: '0.00', credit_amount: '9120.00' });
  expect(await owed(w)).toMatchObject({ total: '0.00', credit: '9120.00' });
  const seen = await status(w, second.body.intentId);
  expect(seen.body.receipt.lines).toEqual([{ label: 'Titipan (lebih bayar)', amount: '9120.00' }]);
  const page = await request(w.app).get(`/los/${w.code}`);
  expect(text(page.text)).toContain('Titipan (lebih bayar) Rp 9.120');
  expect(text(page.text)).toContain('titipan Rp 9.120');
  expect(await ledgerBalanced(t.knex, w.region.id)).toBe(true);
});

test('without script the form posts, the page shows the code, and after the payment the e-karcis', async () => {
  const w = await publicPayWorld(t.knex);
  const posted = await request(w.app).post(`/los/${w.code}/qris`).type('form').send({ bagian: 'hari-ini' });
  expect(posted.status).toBe(303);
  const [intent] = await t.knex('qris_intents').where({ region_id: w.region.id, origin: 'public' });
  expect(posted.headers.location).toBe(`/los/${w.code}?qris=${intent.id}`);
  const shown = await request(w.app).get(posted.headers.location);
  expect(shown.status).toBe(200);
  expect(shown.text).toContain('data-state="pending"');
  expect(shown.text).toContain(`data-status-url="/los/${w.code}/qris/${intent.id}"`);
  expect(shown.text).toMatch(/<img id="qris-gambar" src="data:image\/png;base64,/);
  await w.bankPays(intent.reference, '3000');
  const after = await request(w.app).get(posted.headers.location);
  expect(after.text).toContain('data-state="paid"');
  expect(after.text).toContain('E-karcis');
  // Another stall's page does not show this code.
  const elsewhere = await request(w.app).get(`/los/${w.otherCode}?qris=${intent.id}`);
  expect(elsewhere.text).not.toContain('id="qris-pesan"');
  expect(elsewhere.text).not.toContain('E-karcis');
});

test("a code is only for the sticker's stall: the body cannot name another, and another stall's code is not seen", async () => {
  const w = await publicPayWorld(t.knex);
  const named = await w.askCode('semua', { body: { bagian: 'semua', stallId: w.other.id } });
  expect(named.status).toBe(400);
  expect(named.body.error.code).toBe('invalid-input');
  expect((await w.askCode('semua', { body: { bagian: 'semuanya' } })).status).toBe(400);
  expect((await w.askCode('semua', { body: {} })).status).toBe(400);
  const unknown = await w.askCode('semua', { code: '0000000000000000' });
  expect(unknown.status).toBe(404);
  expect(unknown.body.error.message).toContain('tidak dikenal');
  expect((await w.askCode('semua', { code: w.stall.id })).status).toBe(404);
  expect(await w.intentCount()).toBe(0);

  // The other stall's code, and the stall's own terminal code, are not visible through this page.
  const { body: otherCode } = await w.askCode('semua', { code: w.otherCode });
  expect((await w.intentRow(otherCode.intentId)).stall_id).toBe(w.other.id);
  expect((await status(w, otherCode.intentId)).status).toBe(404);
  expect((await status(w, otherCode.intentId, w.otherCode)).status).toBe(200);
  const terminal = await request(w.app)
    .post('/api/v1/qris')
    .set('Authorization', `Bearer ${w.terminalToken}`)
    .send({ stallId: w.stall.id });
  expect(terminal.status).toBe(201);
  expect((await status(w, terminal.body.intentId)).status).toBe(404);
  expect((await status(w, 'not-a-uuid')).status).toBe(404);
});

test('the live codes of a stall are limited: a further request answers 429 in Indonesian and inserts nothing', async () => {
  const w = await publicPayWorld(t.knex, {
    config: { QRIS_PUBLIC_LIVE_PER_STALL: 3, QRIS_PUBLIC_PER_ADDRESS_PER_HOUR: 100 },
  });
  const made = await Promise.all([1, 2, 3, 4, 5].map((n) => w.askCode('hari-ini', { from: `203.0.113.${n}` })));
  expect(made.map((r) => r.status).sort()).toEqual([201, 201, 201, 429, 429]);
  const refused = made.find((r) => r.status === 429)!;
  expect(refused.body.error.code).toBe('too-many-live-codes');
  expect(refused.body.error.message).toContain('kode QRIS yang masih berlaku');
  expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  expect(await w.intentCount()).toBe(3);
  // The form without script gets an Indonesian page.
  const page = await request(w.app).post(`/los/${w.code}/qris`).type('form').send({ bagian: 'hari-ini' });
  expect(page.status).toBe(429);
  expect(page.text).toContain('Terlalu banyak permintaan');
  expect(await w.intentCount()).toBe(3);

  // A paid code no longer counts (it paid 10 September's fee: today is still open); nor do expired ones.
  const live = await t.knex('qris_intents').where({ region_id: w.region.id }).orderBy('created_at');
  await w.bankPays(live[0].reference, live[0].amount);
  expect((await w.askCode('hari-ini')).status).toBe(201);
  expect((await w.askCode('hari-ini')).status).toBe(429);
  w.clock.set('2026-11-18T03:16:00Z');
  expect((await w.askCode('hari-ini')).status).toBe(201);
  expect(await ledgerBalanced(t.knex, w.region.id)).toBe(true);
});

test('codes from one address are limited per hour, counted in the database: 429 in Indonesian, nothing inserted', async () => {
  const w = await publicPayWorld(t.knex, {
    config: { QRIS_PUBLIC_LIVE_PER_STALL: 3, QRIS_PUBLIC_PER_ADDRESS_PER_HOUR: 4 },
  });
  const from = '192.0.2.77';
  // Ten at once over two stalls: the address lock lets exactly four through.
  const burst = await Promise.all(
    Array.from({ length: 10 }, (_, n) => w.askCode('semua', { from, code: n % 2 ? w.otherCode : w.code })),
  );
  expect(burst.filter((r) => r.status === 201)).toHaveLength(4);
  expect(burst.filter((r) => r.status === 429)).toHaveLength(6);
  expect(new Set(burst.filter((r) => r.status === 429).map((r) => r.body.error.code))).toContain(
    'too-many-codes-from-address',
  );
  const byAddress = burst.find((r) => r.body.error?.code === 'too-many-codes-from-address')!;
  expect(byAddress.body.error.message).toContain('dari alamat ini dalam satu jam terakhir');
  expect(Number(byAddress.headers['retry-after'])).toBeGreaterThan(3000);
  expect(await w.intentCount({ client_ip: from })).toBe(4);
  // Another address may still ask; this one again only once the hour has passed.
  expect((await w.askCode('hari-ini', { from: '192.0.2.78', code: w.otherCode })).status).toBe(201);
  w.clock.set('2026-11-18T03:59:00Z');
  expect((await w.askCode('hari-ini', { from })).status).toBe(429);
  w.clock.set('2026-11-18T04:01:00Z');
  expect((await w.askCode('hari-ini', { from })).status).toBe(201);
  expect(await w.intentCount({ client_ip: from })).toBe(5);
});

test('what the trader cannot pay is refused in Indonesian: nothing owed, nothing open today', async () => {
  const w = await publicPayWorld(t.knex);
  const { body: all } = await w.askCode('semua');
  await w.bankPays((await w.intentRow(all.intentId)).reference, '9120');
  const none = await w.askCode('semua');
  expect(none.status).toBe(422);
  expect(none.body.error).toMatchObject({
    code: 'nothing-owed',
    message: 'Los ini tidak mempunyai tagihan yang harus dibayar.',
  });
  const notToday = await w.askCode('hari-ini');
  expect(notToday.status).toBe(422);
  expect(notToday.body.error.code).toBe('nothing-today');
  expect(await w.intentCount()).toBe(1);
});

test("through a SNAP acquirer that generates, the page's code is the bank's, asked for terminal WEB, and a refusal is in Indonesian", async () => {
  const bank = await startSnapBank();
  forgetSnapTokens();
  try {
    const w = await publicPayWorld(t.knex);
    await connectAcquirer(t.knex, w.qris.id, bank);
    const res = await w.askCode('hari-ini');
    expect(res.status).toBe(201);
    const row = await w.intentRow(res.body.intentId);
    const sent = bank.received.filter(
      (r) => r.path.endsWith('qr-mpm-generate') && r.body.partnerReferenceNo === row.reference,
    );
    expect(sent).toHaveLength(1);
    expect(sent[0].body).toMatchObject({ terminalId: 'WEB', amount: { value: '3000.00', currency: 'IDR' } });
    expect(row).toMatchObject({ origin: 'public', acquirer_reference: bank.txnOf(row.reference)!.referenceNo });
    expect(sent[0].answer.body.qrContent).toBe(row.payload);
    // The bank down: 502, nothing saved, and the trader reads why.
    bank.failNext(5, 503);
    const down = await w.askCode('semua');
    expect(down.status).toBe(502);
    expect(down.body.error.message).toBe('Bank penerbit QRIS sedang tidak dapat dihubungi. Coba lagi sebentar lagi.');
    expect(await w.intentCount()).toBe(1);
  } finally {
    await bank.close();
  }
});
