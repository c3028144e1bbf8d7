// A manager finds a stall by a trader's name and prints that trader's letter only, in a real
// browser (headless Chromium) at desktop and at phone width: the header's search box, the
// results, the stall's page, and "Cetak" beside the letter downloading a PDF that holds that one
// letter (read back with pdftotext).
import { readFileSync } from 'node:fs';
import { pdfText } from '../support/pdf';
import { DESKTOP, PHONE, screenshot } from './chromium';
import { pagesWorld } from './pages-world';
import { servedInChromium } from './serve';

const web = servedInChromium(pagesWorld);

test.each([
  ['desktop', DESKTOP],
  ['phone', PHONE],
] as const)(
  "a manager finds a stall by part of a trader's name and prints that trader's letter only (%s)",
  async (label, viewport) => {
    // Slamet Riyadi (B-01) has paid nothing since August: the warning letters of 1 November name him.
    const letters = await web
      .db('letters as l')
      .join('traders as tr', 'tr.id', 'l.trader_id')
      .where('l.market_id', web.world.market.id)
      .select('l.id', 'l.number', 'tr.name');
    const his = letters.filter((l) => l.name === 'Slamet Riyadi');
    expect(his).toHaveLength(1);
    expect(letters.length).toBeGreaterThan(1);

    const { context, page } = await web.loggedIn(web.world.users.manager, viewport);
    expect(new URL(page.url()).pathname).toBe('/kelola');

    // The header's search box is there and fits the screen, phone or desktop.
    const box = page.getByRole('searchbox', { name: 'Cari los, pedagang atau nomor surat' });
    await expect(box.isVisible()).resolves.toBe(true);
    const where = await box.boundingBox();
    expect(where!.x + where!.width).toBeLessThanOrEqual(viewport.width);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(viewport.width);
    await box.fill('riyadi');
    await Promise.all([
      page.waitForURL(/\/cari\?q=riyadi$/),
      page.getByRole('search').getByRole('button', { name: 'Cari' }).click(),
    ]);
    expect(await page.locator('h1').textContent()).toBe('Hasil pencarian “riyadi”');
    const hit = page.locator('#hasil-pedagang tbody tr');
    expect(await hit.count()).toBe(1);
    expect(await hit.locator('th').textContent()).toBe('Slamet Riyadi');
    // screenshot() photographs both widths itself: once is enough.
    if (label === 'desktop') await screenshot(page, 'cari-hasil');

    await Promise.all([page.waitForURL(/\/kelola\/los\//), hit.getByRole('link', { name: 'B-01' }).click()]);
    expect(await page.locator('h1').textContent()).toBe('Los B-01');
    const row = page.locator('tr', { has: page.locator('th', { hasText: his[0].number }) });
    const cetak = row.getByRole('link', { name: /^Cetak/ });
    await expect(cetak.isVisible()).resolves.toBe(true);
    if (label === 'desktop') await screenshot(page, 'cari-los');
    const [download] = await Promise.all([page.waitForEvent('download'), cetak.click()]);
    const bytes = readFileSync(await download.path());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(download.suggestedFilename()).toMatch(/^surat-teguran-.+\.pdf$/);

    const { text } = pdfText(bytes);
    expect(text.split('Kepada Yth.').length - 1).toBe(1);
    expect(text).toContain('Slamet Riyadi');
    expect(text).toContain(his[0].number);
    for (const other of letters.filter((l) => l.id !== his[0].id)) {
      expect(text).not.toContain(other.name);
      expect(text).not.toContain(other.number);
    }
    await context.close();
  },
);
