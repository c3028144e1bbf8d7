// Staff accounts in a real browser (headless Chromium), at desktop and at 390 px phone width: an
// officer makes a manager's account from the Pengguna page and reads the generated password off
// the screen; the manager logs in with it, changes it on the Akun page (a wrong current password
// first, answered in Indonesian at the form) and stays logged in; the old password no longer
// opens the pages, the new one does.
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE, screenshot } from './chromium';
import { pagesWorld } from './pages-world';
import { servedInChromium } from './serve';

const web = servedInChromium(pagesWorld);

async function logOut(page: Page): Promise<void> {
  await Promise.all([page.waitForURL(`${web.base}/login`), page.getByRole('button', { name: 'Keluar' }).click()]);
}

/** Nothing wider than the screen: a phone never scrolls sideways (tables scroll in their box). */
async function fitsWidth(page: Page): Promise<boolean> {
  return (await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')) === true;
}

const nav = (page: Page) => page.getByRole('navigation', { name: 'Menu utama' });

for (const [label, viewport] of [
  ['desktop', DESKTOP],
  ['phone', PHONE],
] as const) {
  test(`${label}: an officer creates a manager; the manager logs in with it, changes the password, and the old one no longer works`, async () => {
    const username = `kepala.${label}`;
    const context = await web.browser.newContext({ viewport, locale: 'id-ID' });
    const page = await context.newPage();

    await web.logIn(page, web.world.users.officer);
    expect(new URL(page.url()).pathname).toBe('/rekonsiliasi');
    await Promise.all([
      page.waitForURL(`${web.base}/pengguna`),
      nav(page).getByRole('link', { name: 'Pengguna' }).click(),
    ]);
    expect(await page.locator('h1').textContent()).toBe('Pengguna');
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'pengguna-daftar');

    await Promise.all([
      page.waitForURL(`${web.base}/pengguna/baru`),
      page.getByRole('link', { name: 'Tambah pengguna', exact: true }).click(),
    ]);
    // Only what an officer may make is offered.
    expect(await page.getByLabel('Peran').locator('option').allTextContents()).toEqual([
      'Kepala Pasar',
      'Petugas Pemungut',
      expect.stringMatching(/^Pusat Komando/),
    ]);
    await page.getByLabel('Peran').selectOption({ label: 'Kepala Pasar' });
    await page.getByLabel('Nama pengguna').fill(username);
    await page.getByLabel('Nama lengkap').fill('Wahyu Nugroho');
    await page.getByLabel('Pasar').selectOption({ label: 'Pasar Gotong Royong (GOT)' });
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'pengguna-baru');
    await page.getByRole('button', { name: 'Buat akun' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('h1').textContent()).toBe('Akun dibuat');
    const first = (await page.locator('#kata-sandi-baru').textContent())?.trim() ?? '';
    expect(first).toMatch(/^[A-Za-z2-9]{4}-[A-Za-z2-9]{4}-[A-Za-z2-9]{4}$/);
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'pengguna-dibuat');
    const row = await web.db('users').where({ username }).first('role', 'market_id', 'region_id');
    expect(row).toEqual({ role: 'manager', market_id: web.world.market2.id, region_id: web.world.regionA.id });
    await logOut(page);

    // The manager, with the password read off the officer's screen.
    await web.logIn(page, { username, password: first });
    expect(new URL(page.url()).pathname).toBe('/kelola');
    expect(await page.locator('h1').textContent()).toBe('Pasar Gotong Royong');
    expect(await nav(page).getByRole('link', { name: 'Pengguna' }).count()).toBe(0);
    await Promise.all([page.waitForURL(`${web.base}/akun`), nav(page).getByRole('link', { name: 'Akun' }).click()]);
    expect(await page.locator('#nama-pengguna').textContent()).toBe(username);

    const next = `sandi-${label}-baru-2026`;
    await page.getByLabel('Kata sandi saat ini').fill('bukan-sandi-awal');
    await page.getByLabel('Kata sandi baru', { exact: true }).fill(next);
    await page.getByLabel('Ulangi kata sandi baru').fill(next);
    await page.getByRole('button', { name: 'Ganti kata sandi' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('#e-currentPassword').textContent()).toBe('Kata sandi saat ini salah.');
    // Nothing secret comes back into the form.
    for (const field of ['Kata sandi saat ini', 'Ulangi kata sandi baru'])
      expect(await page.getByLabel(field).inputValue()).toBe('');
    expect(await page.getByLabel('Kata sandi baru', { exact: true }).inputValue()).toBe('');
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'akun-salah');

    await page.getByLabel('Kata sandi saat ini').fill(first);
    await page.getByLabel('Kata sandi baru', { exact: true }).fill(next);
    await page.getByLabel('Ulangi kata sandi baru').fill(next);
    await Promise.all([
      page.waitForURL(`${web.base}/akun?diubah=1`),
      page.getByRole('button', { name: 'Ganti kata sandi' }).click(),
    ]);
    expect(await page.locator('#sandi-diganti').textContent()).toContain('Kata sandi diganti.');
    await screenshot(page, 'akun-diganti');
    // This session was renewed: the pages still open.
    await page.goto(`${web.base}/kelola`);
    expect(await page.locator('h1').textContent()).toBe('Pasar Gotong Royong');
    await logOut(page);

    await web.logIn(page, { username, password: first });
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.locator('#login-error').textContent()).toContain('Nama pengguna atau kata sandi salah');
    await web.logIn(page, { username, password: next });
    expect(new URL(page.url()).pathname).toBe('/kelola');
    await context.close();
  });
}
