// The pages in a real browser (headless Chromium) against a real server on a real database: a
// manager logs in and sees today's unpaid stalls; an officer resolves an exception and the day
// turns clean; a report downloads as a PDF the verification page calls genuine; the QR on a
// stall's sticker opens the page that says what is owed there. With SCREENSHOTS=1 every page is
// also photographed at desktop and phone width into scratch/screens/.
import { readFileSync } from 'node:fs';
import { firstPagePng, stickerQr } from '../support/pdf-qr';
import { DESKTOP, screenshot } from './chromium';
import { EXCEPTION_DAY, pagesWorld } from './pages-world';
import { servedInChromium } from './serve';

const web = servedInChromium(pagesWorld);

test('a manager logs in and sees the stalls of the market that have not paid today', async () => {
  const context = await web.browser.newContext({ viewport: DESKTOP, locale: 'id-ID' });
  const page = await context.newPage();
  await page.goto(`${web.base}/kelola`);
  expect(new URL(page.url()).pathname).toBe('/login');
  await screenshot(page, 'login');
  await page.getByLabel('Nama pengguna').fill(web.world.users.manager.username);
  await page.getByLabel('Kata sandi').fill('bukan-sandinya');
  await page.getByRole('button', { name: 'Masuk' }).click();
  await expect(page.locator('#login-error').textContent()).resolves.toContain('Nama pengguna atau kata sandi salah');
  await screenshot(page, 'login-salah');
  await page.getByLabel('Kata sandi').fill(web.world.users.manager.password);
  await Promise.all([page.waitForURL(`${web.base}/kelola`), page.getByRole('button', { name: 'Masuk' }).click()]);
  expect(await page.locator('h1').textContent()).toBe('Pasar Rejowinangun');
  await screenshot(page, 'manager-hari-ini');

  await page.getByLabel('Status hari ini').selectOption({ label: 'Belum bayar' });
  await Promise.all([page.waitForURL(/status=belum/), page.getByRole('button', { name: 'Tampilkan' }).click()]);
  const rows = page.locator('#daftar-los tbody tr');
  expect(await rows.locator('th').allTextContents()).toEqual(['A-03', 'A-05', 'B-01', 'B-02', 'B-04', 'C-02']);
  expect(new Set(await rows.locator('td .badge').allTextContents())).toEqual(new Set(['Belum bayar']));
  await screenshot(page, 'manager-belum-bayar');

  await page.getByRole('link', { name: 'B-01' }).click();
  await page.waitForURL(/\/kelola\/los\//);
  expect(await page.locator('h1').textContent()).toBe('Los B-01');
  await screenshot(page, 'manager-los');
  await page.getByRole('navigation', { name: 'Menu utama' }).getByRole('link', { name: 'Tunggakan' }).click();
  await page.waitForURL(`${web.base}/kelola/tunggakan`);
  await screenshot(page, 'manager-tunggakan');
  await page.getByRole('navigation', { name: 'Menu utama' }).getByRole('link', { name: 'Surat' }).click();
  await page.waitForURL(`${web.base}/kelola/surat`);
  await screenshot(page, 'manager-surat');
  await page.goto(`${web.base}/rekonsiliasi`);
  expect(await page.locator('h1').textContent()).toBe('Akses ditolak');
  await screenshot(page, 'manager-403');
  await context.close();
});

test('an officer resolves an open exception on the day page and the day turns clean', async () => {
  const { context, page } = await web.loggedIn(web.world.users.officer);
  expect(new URL(page.url()).pathname).toBe('/rekonsiliasi');
  await page.goto(`${web.base}/rekonsiliasi?month=2026-11`);
  const cell = page.locator(`a[href="/rekonsiliasi/${EXCEPTION_DAY}"]`);
  expect(await cell.getAttribute('data-state')).toBe('exceptions');
  await screenshot(page, 'officer-kalender');
  await Promise.all([page.waitForURL(`${web.base}/rekonsiliasi/${EXCEPTION_DAY}`), cell.click()]);
  expect(await page.locator('#status').textContent()).toContain('1 selisih terbuka');
  await screenshot(page, 'officer-hari-pengecualian');

  const panel = page.locator(`[data-exception="${web.world.exception.id}"]`);
  await panel.getByText('Putuskan').click();
  await panel.getByLabel('Keputusan').selectOption('write-off');
  await panel.getByLabel(/Alasan/).fill('Transaksi uji coba terminal; dana tidak pernah diterima bank');
  await screenshot(page, 'officer-form-keputusan');
  await Promise.all([page.waitForURL(/resolved=1/), panel.getByRole('button', { name: 'Simpan keputusan' }).click()]);
  expect(await page.locator('#status').textContent()).toContain('Bersih');
  expect(await page.locator(`[data-exception="${web.world.exception.id}"]`).getAttribute('data-status')).toBe(
    'resolved',
  );
  await screenshot(page, 'officer-hari-bersih');

  await page.getByRole('link', { name: '← Kalender' }).click();
  await page.waitForURL(/\/rekonsiliasi\?month=2026-11/);
  expect(await page.locator(`a[href="/rekonsiliasi/${EXCEPTION_DAY}"]`).getAttribute('data-state')).toBe('clean');
  await page.goto(`${web.base}/target`);
  await screenshot(page, 'officer-target');
  await page.goto(`${web.base}/kelola`);
  await screenshot(page, 'officer-pilih-pasar');
  await context.close();
});

test('a report downloads as a PDF that the verification page calls genuine', async () => {
  const { context, page } = await web.loggedIn(web.world.users.officer);
  await page.goto(`${web.base}/laporan`);
  await screenshot(page, 'officer-laporan');
  const form = page.locator('#form-daily-reconciliation');
  await form.getByLabel('Tanggal usaha').fill('2026-11-17');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    form.getByRole('button', { name: 'Unduh' }).click(),
  ]);
  const file = await download.path();
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  const number = download.suggestedFilename().replace(/\.pdf$/, '');
  expect(number).toMatch(/^KMG-[A-Z]+-2026-\d{6}$/);
  const check = await fetch(`${web.base}/verify/${number}`, {
    method: 'POST',
    body: bytes,
    headers: { 'content-type': 'application/octet-stream' },
  });
  expect(((await check.json()) as { status: string }).status).toBe('genuine');
  // The verification page itself, as the document's QR opens it.
  await page.goto(`${web.base}/verify/${number}`);
  expect(await page.locator('#status').textContent()).toContain('ASLI');
  await screenshot(page, 'verifikasi-dokumen');
  await context.close();
});

test("the stall page reached from a sticker's QR shows the amount owed, without the trader's name", async () => {
  const { context } = await web.loggedIn(web.world.users.manager);
  const sheet = await context.request.get(`${web.base}/kelola/stiker`);
  expect(sheet.headers()['content-type']).toBe('application/pdf');
  // B-01 is the sixth stall: the last of the second row. It has paid nothing since August.
  const url = stickerQr(firstPagePng(Buffer.from(await sheet.body())), 2, 1);
  expect(url).toMatch(new RegExp(`^${web.base}/los/[0-9a-f]{16}$`));
  await context.close();

  const trader = await web.browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'id-ID' });
  const phone = await trader.newPage();
  await phone.goto(url!);
  expect(await phone.locator('h1').textContent()).toBe('Los B-01');
  expect(await phone.locator('#owed').textContent()).toMatch(/^Yang harus dibayar: Rp \d{2}\.\d{3}$/);
  expect(await phone.content()).not.toContain('Slamet Riyadi');
  await screenshot(phone, 'publik-los-terutang');
  const paid = await web.db('stalls').where({ id: web.world.stalls['A-01'].id }).first('public_code');
  await phone.goto(`${web.base}/los/${paid.public_code}`);
  expect(await phone.locator('#owed').textContent()).toContain('Tidak ada tagihan terutang');
  await screenshot(phone, 'publik-los-lunas');
  await trader.close();
});
