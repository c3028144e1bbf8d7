// The stall stickers of a market: A4 sheets of 3 × 4 stickers, each with the stall's code large
// enough to read from the aisle, the market's name, and a vector QR to the stall's public page
// (what is owed there, no personal data). Dashed lines mark where to cut. Not an issued document:
// it carries no number and nothing in it needs verifying; reprinting gives the same stickers.
import PDFDocument from 'pdfkit';
import { drawQr } from './pdf/qr';

export interface StickerStall {
  code: string;
  block: string | null;
  /** what the QR opens: PUBLIC_BASE_URL/los/<public code> */
  url: string;
}

export interface StickerSheet {
  marketName: string;
  regionName: string;
  /** what part of the market the sheet is, when not all of it: "blok B", "los A-01" */
  part?: string;
  stalls: StickerStall[];
}

const A4 = { w: 595.28, h: 841.89 };
const MARGIN = 18;
const COLS = 3;
const ROWS = 4;
const PAD = 10;
const QR = 112;
const BOLD = 'Helvetica-Bold';
const REGULAR = 'Helvetica';

/** The largest font size (down to 12) at which text fits a width on one line. */
function fitSize(doc: PDFKit.PDFDocument, text: string, font: string, max: number, width: number): number {
  let size = max;
  doc.font(font);
  while (size > 12 && doc.fontSize(size).widthOfString(text) > width) size -= 1;
  return size;
}

function centered(
  doc: PDFKit.PDFDocument,
  text: string,
  x: number,
  y: number,
  width: number,
  font: string,
  size: number,
): void {
  doc
    .font(font)
    .fontSize(size)
    .text(text, x, y, { width, align: 'center', lineBreak: false, ellipsis: true, height: size * 1.2 });
}

function sticker(
  doc: PDFKit.PDFDocument,
  s: StickerStall,
  sheet: StickerSheet,
  x: number,
  y: number,
  w: number,
  h: number,
): void {
  doc.save().lineWidth(0.5).dash(3, { space: 3 }).strokeColor('#888888').rect(x, y, w, h).stroke().undash().restore();
  const inner = w - 2 * PAD;
  let top = y + PAD;
  centered(doc, sheet.marketName.toUpperCase(), x + PAD, top, inner, BOLD, 8.5);
  top += 12;
  const size = fitSize(doc, s.code, BOLD, 30, inner);
  centered(doc, s.code, x + PAD, top + (30 - size) / 2, inner, BOLD, size);
  top += 34;
  drawQr(doc, s.url, x + (w - QR) / 2, top, QR);
  top += QR + 4;
  centered(doc, 'Pindai untuk cek tagihan', x + PAD, top, inner, BOLD, 10);
  top += 13;
  centered(
    doc,
    `${s.block ? `Blok ${s.block} · ` : ''}e-Retribusi ${sheet.regionName}`,
    x + PAD,
    top,
    inner,
    REGULAR,
    7,
  );
}

/** The sheet as PDF bytes: one sticker per stall, in the order given (a whole market, one block,
 * or a single stall's sticker to replace a torn one: the first label of the sheet). */
export function stickerSheet(sheet: StickerSheet): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    autoFirstPage: false,
    info: {
      Title: `Stiker QR — ${sheet.marketName}${sheet.part ? `, ${sheet.part}` : ''}`,
      Author: `e-Retribusi Pasar ${sheet.regionName}`,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const w = (A4.w - 2 * MARGIN) / COLS;
  const h = (A4.h - 2 * MARGIN) / ROWS;
  const perPage = COLS * ROWS;
  if (sheet.stalls.length === 0) {
    doc.addPage();
    doc.font(REGULAR).fontSize(12).text(`${sheet.marketName}: belum ada tempat usaha.`, 60, 60);
  }
  sheet.stalls.forEach((s, i) => {
    const slot = i % perPage;
    if (slot === 0) doc.addPage();
    sticker(doc, s, sheet, MARGIN + (slot % COLS) * w, MARGIN + Math.floor(slot / COLS) * h, w, h);
  });
  doc.end();
  return done;
}
