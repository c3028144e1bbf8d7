// Reconciliation finished in a real browser (issue 17, done when), at desktop and at phone width
// (390 px): an officer logs in, uploads the bank's real BNI debit settlement file through the
// page, runs the day, sees the differences, links the bank line to the payment chosen from the
// list offered, and a refused decision shows its message in Indonesian inside that difference's
// form, where the browser lands, with what was typed kept. Each width works in a region of its
// own, built from the same real file (reconcile-world.ts). With SCREENSHOTS=1 the pages are
// photographed into scratch/screens/.
import type { Page } from 'playwright-core';
import { tokenFor } from '../support/app';
import { REFUSAL } from '../../api/pages/reconcile-decisions';
import { DESKTOP, PHONE, screenshot } from './chromium';
import {
  BNI_FILE,
  bniFileBytes,
  exceptionOf,
  RECON_NOW,
  reconcileApp,
  reconcileRegion,
  type ReconcileRegion,
} from './reconcile-world';
import { servedInChromium } from './serve';

const web = servedInChromium(async (db) => {
  const { app, deps } = reconcileApp(db);
  const regions: Record<string, ReconcileRegion> = {
    desktop: await reconcileRegion(db, deps, 'dsk'),
    phone: await reconcileRegion(db, deps, 'hp'),
  };
  return { app, deps, regions };
});

const ENGLISH = /\b(already|matched|candidate|exception|refused|not found|required|invalid)\b/i;

/** The alert is where the eye is: inside the viewport the browser landed on. */
async function inViewport(page: Page, selector: string): Promise<boolean> {
  return page.locator(selector).evaluate((el) => {
    const r = el.getBoundingClientRect();
    const height = (globalThis as unknown as { innerHeight: number }).innerHeight;
    return r.top >= 0 && r.bottom <= height && r.height > 0;
  });
}

describe.each([
  ['desktop', DESKTOP],
  ['phone', PHONE],
] as const)('at %s width', (label, viewport) => {
  test('an officer uploads a BNI file, runs the day, links a payment chosen from the list, and sees a refused decision in Indonesian next to its form', async () => {
    const w = web.world.regions[label];
    const { context, page } = await web.loggedIn(w.users.officer, viewport);
    expect(new URL(page.url()).pathname).toBe('/rekonsiliasi');
    const shot = (name: string) => screenshot(page, `rekonsiliasi-${label}-${name}`);

    // Days without any transaction say so; the file's day is not reconciled yet.
    const quiet = page.locator('a[href="/rekonsiliasi/2020-05-11"]');
    expect(await quiet.getAttribute('data-state')).toBe('empty');
    expect(await quiet.getAttribute('aria-label')).toBe('11 Mei 2020: Tidak ada transaksi');
    // biome-ignore lint/performance/useDomNodeTextContent: which word shows depends on the width (CSS)
    expect(await quiet.innerText()).toContain(label === 'phone' ? 'Nihil' : 'Tidak ada transaksi');
    expect(await page.locator(`a[href="/rekonsiliasi/${w.date}"]`).getAttribute('data-state')).toBe('none');
    await shot('kalender');

    // Upload the bank's file as its portal handed it out.
    await page.getByLabel('Sumber berkas').selectOption({ label: 'BNI Debit — setelmen kartu' });
    await page.getByLabel('Berkas', { exact: true }).setInputFiles({
      name: BNI_FILE,
      mimeType: 'text/csv',
      buffer: bniFileBytes(),
    });
    await Promise.all([
      page.waitForURL(new RegExp(`/rekonsiliasi/${w.date}\\?berkas=`)),
      page.getByRole('button', { name: 'Unggah' }).click(),
    ]);
    const note = page.locator('#berkas');
    expect(await note.textContent()).toContain(
      `Berkas “${BNI_FILE}” diimpor. ${w.lines.all.length} baris setelmen BNI Debit`,
    );
    await shot('berkas-diimpor');

    // Run the day from the page.
    await Promise.all([
      page.waitForURL(/dijalankan=1/),
      note.getByRole('button', { name: 'Jalankan rekonsiliasi 20 Mei 2020' }).click(),
    ]);
    expect(await page.locator('#status').textContent()).toContain('5 selisih terbuka menunggu keputusan');
    expect(await page.locator('main').textContent()).not.toMatch(/pengecualian/i);
    await shot('hari-selisih');

    // The bank line the ledger lacks is the payment posted with a misread approval code: the
    // officer picks it from the list offered.
    const line = await exceptionOf(web.db, w.region.id, 'settled-not-in-ledger', w.lines.mistyped.approvalCode!);
    const linkPanel = page.locator(`[data-exception="${line.id}"]`);
    await linkPanel.getByText('Putuskan').click();
    await linkPanel.getByLabel('Keputusan').selectOption({ label: 'Pasangkan dengan pembayaran' });
    const choice = linkPanel.getByRole('radio', { name: new RegExp(`kode otorisasi ${w.misreadCode}`) });
    expect(await linkPanel.getByRole('radio').count()).toBeGreaterThan(1);
    await choice.check();
    await linkPanel.getByLabel(/Alasan/).fill('Slip EDC: kode otorisasi salah ketik di terminal');
    await shot('form-pasangkan');
    await Promise.all([
      page.waitForURL(/resolved=1/),
      linkPanel.getByRole('button', { name: 'Simpan keputusan' }).click(),
    ]);
    expect(await page.locator(`[data-exception="${line.id}"]`).getAttribute('data-status')).toBe('resolved');
    expect(
      await web.db('settlement_matches').where({ region_id: w.region.id, payment_id: w.paymentIds.mistyped }).first(),
    ).toMatchObject({ settlement_line_id: line.settlement_line_id, method: 'manual' });
    expect((await exceptionOf(web.db, w.region.id, 'in-ledger-not-settled', w.misreadCode)).status).toBe('cleared');
    expect(await page.locator('#status').textContent()).toContain('3 selisih terbuka');

    // A refused decision. At desktop width another officer decides the difference while the form
    // is being filled in; at phone width the officer accepts the bank's line without naming the
    // stall it was for.
    const refused =
      label === 'desktop'
        ? await exceptionOf(web.db, w.region.id, 'amount-mismatch')
        : await exceptionOf(web.db, w.region.id, 'settled-not-in-ledger', w.lines.missing.approvalCode!);
    const panel = page.locator(`[data-exception="${refused.id}"]`);
    await panel.getByText('Putuskan').click();
    const reason =
      label === 'desktop' ? 'Selisih Rp 1.000 dihapus, di bawah batas penagihan' : 'Terminal mati, struk manual ada';
    const decision = label === 'desktop' ? 'write-off' : 'accept-bank';
    await panel.getByLabel('Keputusan').selectOption(decision);
    await panel.getByLabel(/Alasan/).fill(reason);
    if (label === 'desktop') {
      const token = tokenFor(
        { role: 'officer', sub: w.users.officer2.id, regionId: w.region.id },
        Date.parse(RECON_NOW),
      );
      const api = await fetch(`${web.base}/api/v1/reconciliation-exceptions/${refused.id}/resolve`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ resolution: 'accept-bank', note: 'Bank mengonfirmasi nominal settlement' }),
      });
      expect(api.status).toBe(200);
    }
    await Promise.all([
      page.waitForURL(new RegExp(`/selesaikan#selisih-${refused.id}$`)),
      panel.getByRole('button', { name: 'Simpan keputusan' }).click(),
    ]);
    const alert = page.locator(`[data-exception="${refused.id}"] form [role="alert"]`);
    const expected = label === 'desktop' ? REFUSAL['exception-not-open'] : REFUSAL['stall-required'];
    expect(await alert.textContent()).toBe(expected);
    expect(expected).not.toMatch(ENGLISH);
    expect(await inViewport(page, `#galat-${refused.id}`)).toBe(true);
    // The form keeps what was typed and chosen.
    const again = page.locator(`[data-exception="${refused.id}"]`);
    expect(await again.getByLabel(/Alasan/).inputValue()).toBe(reason);
    expect(await again.getByLabel('Keputusan').inputValue()).toBe(decision);
    expect(await page.locator('main').textContent()).not.toMatch(ENGLISH);
    await shot('keputusan-ditolak');
    if (label === 'desktop') {
      // The other officer's decision is what the panel shows, and nothing of this one was kept.
      expect(await again.locator('.decided').textContent()).toContain('Dimas Saputra');
      expect(await web.db('reconciliation_decisions').where({ exception_id: refused.id }).pluck('decided_by')).toEqual([
        w.users.officer2.id,
      ]);
    } else {
      // Naming the stall is all that is left to do: the reason is still there.
      expect(await web.db('reconciliation_decisions').where({ exception_id: refused.id })).toEqual([]);
      await again.getByLabel('Tempat usaha yang dibayar').selectOption({ index: 1 });
      await Promise.all([
        page.waitForURL(/resolved=1/),
        again.getByRole('button', { name: 'Simpan keputusan' }).click(),
      ]);
      expect(await page.locator(`[data-exception="${refused.id}"]`).getAttribute('data-status')).toBe('resolved');
      expect(await web.db('reconciliation_decisions').where({ exception_id: refused.id }).pluck('note')).toEqual([
        reason,
      ]);
      // Nothing is wider than the phone.
      expect(
        await page.evaluate(
          () =>
            (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document
              .documentElement.scrollWidth,
        ),
      ).toBeLessThanOrEqual(PHONE.width);
    }
    await context.close();
  });
});
