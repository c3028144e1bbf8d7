// The reports page in a real browser (headless Chromium): an officer downloads the Daftar
// Tunggakan as Excel (.xlsx) and as PDF from the same form; the workbook, read back with the
// library (SheetJS), has typed totals equal to those the PDF prints. The PDF then stands in the
// day's list of issued documents, and its "Unduh PDF" gives the same file again, at phone width,
// where the workbook downloads with the same total too.
import { readFileSync } from 'node:fs';
import * as XLSX from '@e965/xlsx';
import type { Page } from 'playwright-core';
import { pdfText } from '../support/pdf';
import { Decimal } from '../../api/core/money';
import { rupiah } from '../../reports/format';
import { PHONE, screenshot } from './chromium';
import { pagesWorld } from './pages-world';
import { servedInChromium } from './serve';

const web = servedInChromium(pagesWorld);

async function downloadFrom(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: download.suggestedFilename(), bytes: readFileSync((await download.path())!) };
}

/** The amount printed beside a label of the PDF's summary (pdftotext -layout keeps it on one line). */
function printed(text: string, label: string): string {
  const line = text.split('\n').find((l) => l.trimStart().startsWith(label));
  if (!line) throw new Error(`no "${label}" in the PDF`);
  return /-?Rp [\d.]+(,\d\d)?/.exec(line.slice(line.indexOf(label) + label.length))![0];
}

test('the arrears list downloads as Excel with the totals of its PDF; the PDF is listed and downloads again the same', async () => {
  const { context, page } = await web.loggedIn(web.world.users.officer);
  await page.goto(`${web.base}/laporan`);
  await screenshot(page, 'officer-laporan-terbit');
  const form = page.locator('#form-arrears');
  const select = form.getByLabel('Berkas');
  expect(await select.locator('option').allTextContents()).toEqual([
    'PDF (dokumen resmi)',
    'Excel (.xlsx)',
    'CSV (data mentah)',
  ]);

  await select.selectOption({ label: 'Excel (.xlsx)' });
  const xlsx = await downloadFrom(page, () => form.getByRole('button', { name: 'Unduh' }).click());
  expect(xlsx.name).toMatch(/^arrears-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const wb = XLSX.read(xlsx.bytes, { type: 'buffer', cellNF: true });
  const data = wb.Sheets.Data;
  const range = XLSX.utils.decode_range(data['!ref']!);
  const header: string[] = [];
  for (let c = 0; c <= range.e.c; c++) header.push(String(data[XLSX.utils.encode_cell({ r: 0, c })].v));
  const total = (name: string) => {
    const cell = data[XLSX.utils.encode_cell({ r: range.e.r, c: header.indexOf(name) })];
    expect(cell).toMatchObject({ t: 'n', z: '#,##0.00' });
    return new Decimal(cell.v as number);
  };
  expect(data[XLSX.utils.encode_cell({ r: range.e.r, c: 0 })].v).toBe('TOTAL');

  await select.selectOption({ label: 'PDF (dokumen resmi)' });
  const pdf = await downloadFrom(page, () => form.getByRole('button', { name: 'Unduh' }).click());
  expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
  const number = pdf.name.replace(/\.pdf$/, '');
  expect(number).toMatch(/^KMG-DTG-2026-\d{6}$/);
  const { text } = pdfText(pdf.bytes, { layout: true });
  expect(total('jumlah').isZero()).toBe(false);
  expect(printed(text, 'Pokok retribusi')).toBe(rupiah(total('pokok')));
  expect(printed(text, 'Sanksi bunga')).toBe(rupiah(total('sanksi_bunga')));
  expect(printed(text, 'Jumlah tunggakan')).toBe(rupiah(total('jumlah')));

  // The PDF just issued is in today's list; at phone width its link gives the same file.
  await page.setViewportSize(PHONE);
  await page.reload();
  const row = page.locator(`#daftar-terbit tr[data-number="${number}"]`);
  await row.scrollIntoViewIfNeeded();
  expect(await row.locator('th').textContent()).toBe(number);
  const again = await downloadFrom(page, () => row.getByRole('link', { name: 'Unduh PDF' }).click());
  expect(again.name).toBe(`${number}.pdf`);
  expect(Buffer.compare(again.bytes, pdf.bytes)).toBe(0);
  // The workbook downloads at phone width too, with the same total.
  await form.getByLabel('Berkas').selectOption({ label: 'Excel (.xlsx)' });
  const onPhone = await downloadFrom(page, () => form.getByRole('button', { name: 'Unduh' }).click());
  const phoneData = XLSX.read(onPhone.bytes, { type: 'buffer' }).Sheets.Data;
  const last = XLSX.utils.decode_range(phoneData['!ref']!).e.r;
  const phoneTotal = phoneData[XLSX.utils.encode_cell({ r: last, c: header.indexOf('jumlah') })];
  expect(new Decimal(phoneTotal.v as number).eq(total('jumlah'))).toBe(true);
  // The page fits the phone: nothing wider than the screen but the tables' own scroll boxes.
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
  await screenshot(page, 'officer-laporan-terbit-ponsel');
  await context.close();
});
