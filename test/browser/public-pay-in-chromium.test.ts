// Issue 16, done when: in a real browser (headless Chromium) against a real server on a real
// database, the QR on a stall's sticker opens the stall's page, the trader presses "Bayar dengan
// QRIS", the page shows the code, the bank (simulated: the test reads the QR shown and posts the
// bank's signed notification) pays it, and the page shows the e-karcis by itself, without a
// reload or any navigation. Once at desktop width for today's fee, once at 390 px for the rest.
import { PNG } from 'pngjs';
import type { Page } from 'playwright-core';
import * as make from '../support/make';
import { firstPagePng, qrOf, stickerQr } from '../support/pdf-qr';
import { ledgerBalanced } from '../support/scenario';
import { publicPayWorld } from '../support/public-pay';
import { DESKTOP, PHONE, screenshot } from './chromium';
import { servedInChromium } from './serve';

const web = servedInChromium(publicPayWorld);

/** The QRs of the first row of a sticker sheet (3 × 4 on A4), read from the PDF's first page. */
function stickerRowQrs(pdf: Buffer): string[] {
  const png = firstPagePng(pdf);
  return [0, 1, 2].flatMap((col) => stickerQr(png, col, 0) ?? []);
}

/** What a banking app reads from the QR the page shows. */
async function scannedPayload(page: Page): Promise<string> {
  const src = await page.locator('#qris-gambar').getAttribute('src');
  expect(src).toMatch(/^data:image\/png;base64,/);
  const png = PNG.sync.read(Buffer.from(src!.split(',')[1], 'base64'));
  const payload = qrOf(png);
  expect(payload).toBeTruthy();
  return payload!;
}

/** Counts the page's navigations and marks its document: a reload would lose the mark. */
async function watchNavigation(page: Page) {
  let navigations = 0;
  page.on('framenavigated', (f) => {
    if (f === page.mainFrame()) navigations++;
  });
  await page.evaluate(() => {
    (globalThis as unknown as { tidakDimuatUlang: boolean }).tidakDimuatUlang = true;
  });
  return {
    navigations: () => navigations,
    sameDocument: () =>
      page.evaluate(() => (globalThis as unknown as { tidakDimuatUlang?: boolean }).tidakDimuatUlang === true),
  };
}

/** Pays the code the page shows, as the trader's bank would: the payload's reference, its amount. */
async function bankPaysWhatIsShown(page: Page) {
  const payload = await scannedPayload(page);
  const intent = await web.db('qris_intents').where({ region_id: web.world.region.id, payload }).first();
  expect(intent).toMatchObject({ origin: 'public', terminal_id: null, stall_id: web.world.stall.id });
  const paid = await web.world.bankPays(intent.reference, intent.amount);
  expect(paid.status).toBe(200);
  return { intent, paymentId: paid.body.paymentId as string };
}

test("the sticker's QR opens the stall's page; the trader pays today's fee by QRIS and the page shows the e-karcis without a reload", async () => {
  const manager = await make.user(web.db, 'manager', { regionId: web.world.region.id, marketId: web.world.market.id });
  const { context: staff } = await web.loggedIn(manager);
  const sheet = await staff.request.get(`${web.base}/kelola/stiker`);
  expect(sheet.headers()['content-type']).toMatch(/^application\/pdf/);
  const urls = stickerRowQrs(Buffer.from(await sheet.body()));
  const url = urls.find((u) => u.endsWith(`/los/${web.world.code}`));
  expect(url).toBe(`${web.base}/los/${web.world.code}`);
  await staff.close();

  const trader = await web.browser.newContext({ viewport: DESKTOP, locale: 'id-ID' });
  const page = await trader.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(url!);
  expect(await page.locator('h1').textContent()).toBe(`Los ${web.world.stall.code}`);
  expect(await page.locator('#owed').textContent()).toBe('Yang harus dibayar: Rp 9.120');
  expect(await page.locator('#rincian tbody tr').count()).toBe(7);
  expect(await page.locator('#qris').isHidden()).toBe(true);
  await screenshot(page, 'publik-bayar-tagihan');
  const nav = await watchNavigation(page);

  await page.getByRole('button', { name: 'Hari ini saja · Rp 3.000' }).click();
  await page.locator('#qris-gambar').waitFor();
  expect(await page.locator('#qris-jumlah').textContent()).toBe('Rp 3.000');
  expect(await page.locator('#qris').getAttribute('data-state')).toBe('pending');
  await screenshot(page, 'publik-bayar-kode');
  const { paymentId } = await bankPaysWhatIsShown(page);

  // The page finds out by itself (it asks every 2 s) and shows the e-karcis.
  await page.locator('#karcis').waitFor({ timeout: 15000 });
  const receipt = await web.db('receipts').where({ region_id: web.world.region.id, payment_id: paymentId }).first();
  expect(await page.locator('#qris').getAttribute('data-state')).toBe('paid');
  expect(await page.locator('#karcis-kode').textContent()).toBe(receipt.code);
  expect(await page.locator('#karcis-nomor').textContent()).toBe(String(receipt.serial));
  expect(await page.locator('#karcis-tautan').getAttribute('href')).toBe(`/receipts/${receipt.code}`);
  // Today's fee paid the oldest day first, and the e-karcis says so.
  expect(await page.locator('#karcis table.lunas tr').allTextContents()).toEqual([
    'Retribusi 10 September 2026Rp 3.000',
  ]);
  // What is owed follows in place: today is still open, and the payment is listed with what it settled.
  await page.locator('#owed', { hasText: 'Yang harus dibayar: Rp 6.120' }).waitFor();
  expect(await page.locator('#pembayaran tbody tr').first().textContent()).toContain('retribusi 10 September 2026');
  expect(await page.locator('#karcis').isVisible()).toBe(true);
  expect(await page.getByRole('button', { name: 'Bayar dengan QRIS · Rp 6.120' }).isVisible()).toBe(true);
  expect(nav.navigations()).toBe(0);
  expect(await nav.sameDocument()).toBe(true);
  expect(page.url()).toBe(url);
  await screenshot(page, 'publik-bayar-karcis');
  expect(errors).toEqual([]);
  await trader.close();
  expect(await ledgerBalanced(web.db, web.world.region.id)).toBe(true);
});

test('at 390 px the trader pays the rest and sees the e-karcis in place, and the page then owes nothing', async () => {
  const trader = await web.browser.newContext({ viewport: PHONE, locale: 'id-ID' });
  const page = await trader.newPage();
  await page.goto(`${web.base}/los/${web.world.code}`);
  expect(await page.locator('#owed').textContent()).toBe('Yang harus dibayar: Rp 6.120');
  // The payment of the first test is listed with what it settled.
  expect(await page.locator('#pembayaran tbody tr').first().textContent()).toContain('retribusi 10 September 2026');
  // Nothing wider than the phone: no sideways scrolling.
  const fits = () =>
    page.evaluate(() => {
      const g = globalThis as unknown as { document: { documentElement: { scrollWidth: number } }; innerWidth: number };
      return g.document.documentElement.scrollWidth <= g.innerWidth;
    });
  expect(await fits()).toBe(true);
  const nav = await watchNavigation(page);

  await page.getByRole('button', { name: 'Bayar dengan QRIS · Rp 6.120' }).click();
  await page.locator('#qris-gambar').waitFor();
  expect(await page.locator('#qris-jumlah').textContent()).toBe('Rp 6.120');
  const box = await page.locator('#qris-gambar').boundingBox();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
  expect(await fits()).toBe(true);
  await screenshot(page, 'publik-bayar-kode-hp');
  await bankPaysWhatIsShown(page);

  await page.locator('#karcis').waitFor({ timeout: 15000 });
  expect(await page.locator('#karcis table.lunas tr').count()).toBe(6);
  expect(await page.locator('#karcis').textContent()).toContain('Pembayaran Rp 6.120 diterima');
  await page.locator('#owed', { hasText: 'Tidak ada tagihan terutang' }).waitFor();
  expect(await page.locator('form[data-bayar]').count()).toBe(0);
  expect(await page.locator('#karcis').isVisible()).toBe(true);
  expect(nav.navigations()).toBe(0);
  expect(await nav.sameDocument()).toBe(true);
  expect(await fits()).toBe(true);
  await screenshot(page, 'publik-bayar-karcis-hp');

  await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: 'Lihat tagihan terbaru' }).click()]);
  expect(page.url()).toBe(`${web.base}/los/${web.world.code}`);
  expect(await page.locator('#owed').textContent()).toContain('Tidak ada tagihan terutang');
  expect(await page.locator('form[data-bayar]').count()).toBe(0);
  expect(await page.content()).not.toContain(web.world.trader.name);
  await trader.close();
  expect(await ledgerBalanced(web.db, web.world.region.id)).toBe(true);
});
