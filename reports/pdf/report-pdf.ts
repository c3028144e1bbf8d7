// The page kit every report and letter is drawn with: A4, a letterhead with the document number
// and a QR to its verification page, tables that carry their column headings onto each new
// page, and page numbers. All drawing goes through here so that nothing runs off a page: the kit
// measures first and turns the page itself (pdfkit never breaks a page on its own here).
import PDFDocument from 'pdfkit';
import { drawQr } from './qr';

export type Align = 'left' | 'right' | 'center';

export interface Column {
  header: string;
  /** Fraction of the content width; a table's columns add up to 1. */
  width: number;
  align?: Align;
}

export interface TableWriter {
  row(cells: string[], opts?: { bold?: boolean; shade?: boolean }): void;
  end(): void;
}

export interface ReportPdf {
  heading(text: string): void;
  text(text: string, opts?: { bold?: boolean; size?: number; align?: Align }): void;
  keyValues(rows: [string, string][]): void;
  table(columns: Column[]): TableWriter;
  pageBreak(): void;
  space(lines?: number): void;
}

export interface Letterhead {
  regionName: string;
  title: string;
  subtitle: string[];
  documentNumber: string;
  madeAtLabel: string;
  verifyUrl: string;
}

const MARGIN = { top: 36, bottom: 42, left: 40, right: 40 };
const BODY = 9;
const TABLE = 7.5;
const PAD = 2.5;
const QR_SIZE = 66;
const REGULAR = 'Helvetica';
const BOLD = 'Helvetica-Bold';

/** Splits text into lines that fit a width (words first; a word too long for a line is cut). */
function wrap(doc: PDFKit.PDFDocument, text: string, width: number): string[] {
  if (doc.widthOfString(text) <= width) return [text];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const candidate = line ? `${line} ${word}` : word;
    if (doc.widthOfString(candidate) <= width) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = word;
    while (doc.widthOfString(line) > width && line.length > 1) {
      let cut = line.length - 1;
      while (cut > 1 && doc.widthOfString(line.slice(0, cut)) > width) cut--;
      lines.push(line.slice(0, cut));
      line = line.slice(cut);
    }
  }
  if (line) lines.push(line);
  return lines;
}

export class PdfKit implements ReportPdf {
  readonly doc: PDFKit.PDFDocument;
  private pageNo = 1;
  private onNewPage: (() => void) | undefined;

  constructor(
    private readonly head: Letterhead,
    private readonly opts: { layout: 'portrait' | 'landscape'; buffered: boolean; info: PDFKit.DocumentInfo },
  ) {
    this.doc = new PDFDocument({
      size: 'A4',
      layout: opts.layout,
      margins: MARGIN,
      bufferPages: opts.buffered,
      info: opts.info,
      compress: true,
    });
    this.letterhead();
  }

  private get left(): number {
    return MARGIN.left;
  }

  private get width(): number {
    return this.doc.page.width - MARGIN.left - MARGIN.right;
  }

  private get bottom(): number {
    return this.doc.page.height - MARGIN.bottom;
  }

  private put(text: string, x: number, y: number, size: number, bold = false): void {
    this.doc
      .font(bold ? BOLD : REGULAR)
      .fontSize(size)
      .text(text, x, y, { lineBreak: false });
  }

  /** One line of text placed by its alignment inside [x, x + width]. */
  private placed(text: string, x: number, y: number, width: number, align: Align, size: number, bold = false): void {
    this.doc.font(bold ? BOLD : REGULAR).fontSize(size);
    const w = this.doc.widthOfString(text);
    const at = align === 'right' ? x + width - w : align === 'center' ? x + (width - w) / 2 : x;
    this.doc.text(text, at, y, { lineBreak: false });
  }

  /** The first page: who issued it, what it is, its number, when it was made, and the QR. */
  private letterhead(): void {
    const d = this.doc;
    const top = MARGIN.top;
    const textWidth = this.width - QR_SIZE - 12;
    drawQr(d, this.head.verifyUrl, this.left + this.width - QR_SIZE, top, QR_SIZE);
    this.put(`PEMERINTAH ${this.head.regionName.toUpperCase()}`, this.left, top, 11, true);
    this.put('Sistem e-Retribusi Pasar', this.left, top + 14, 8.5);
    this.put(`Nomor dokumen: ${this.head.documentNumber}`, this.left, top + 27, 8.5, true);
    this.put(`Dibuat: ${this.head.madeAtLabel}`, this.left, top + 38, 8);
    d.font(REGULAR).fontSize(7);
    const verify = wrap(
      d,
      `Keaslian dapat diperiksa dengan memindai kode QR atau di ${this.head.verifyUrl}`,
      textWidth,
    );
    verify.forEach((line, i) => this.put(line, this.left, top + 49 + i * 8.5, 7));
    const ruleY = top + QR_SIZE + 6;
    d.moveTo(this.left, ruleY)
      .lineTo(this.left + this.width, ruleY)
      .lineWidth(1.2)
      .stroke();
    d.y = ruleY + 8;
    this.lines(this.head.title, { bold: true, size: 12.5, align: 'center' });
    for (const line of this.head.subtitle) this.lines(line, { size: BODY, align: 'center' });
    d.y += 6;
  }

  /** A later page: a running head so a loose page still says what it belongs to. */
  private runningHead(): void {
    const d = this.doc;
    const y = MARGIN.top;
    this.put(`${this.head.title} — ${this.head.regionName}`, this.left, y, 7.5, true);
    this.placed(this.head.documentNumber, this.left, y, this.width, 'right', 7.5);
    d.moveTo(this.left, y + 11)
      .lineTo(this.left + this.width, y + 11)
      .lineWidth(0.6)
      .stroke();
    d.y = y + 16;
  }

  private footer(pageNo: number, total: number | undefined): void {
    const y = this.doc.page.height - MARGIN.bottom + 16;
    const label = total ? `Halaman ${pageNo} dari ${total}` : `Halaman ${pageNo}`;
    this.put(`${this.head.documentNumber} · e-Retribusi Pasar ${this.head.regionName}`, this.left, y, 7);
    this.placed(label, this.left, y, this.width, 'right', 7);
  }

  private newPage(): void {
    // Unbuffered pages are written out as soon as the next one starts, so each gets its footer now.
    if (!this.opts.buffered) this.footer(this.pageNo, undefined);
    this.doc.addPage();
    this.pageNo++;
    this.runningHead();
    this.onNewPage?.();
  }

  private ensure(height: number): void {
    if (this.doc.y + height > this.bottom) this.newPage();
  }

  private lines(text: string, o: { bold?: boolean; size?: number; align?: Align } = {}): void {
    const size = o.size ?? BODY;
    const d = this.doc;
    d.font(o.bold ? BOLD : REGULAR).fontSize(size);
    const lineHeight = size * 1.3;
    for (const paragraph of text.split('\n')) {
      for (const line of paragraph ? wrap(d, paragraph, this.width) : ['']) {
        this.ensure(lineHeight);
        this.placed(line, this.left, d.y, this.width, o.align ?? 'left', size, o.bold);
        d.y += lineHeight;
      }
    }
  }

  heading(text: string): void {
    this.ensure(40); // never a heading alone at the foot of a page
    this.doc.y += 4;
    this.lines(text, { bold: true, size: 10 });
    this.doc.y += 2;
  }

  text(text: string, opts: { bold?: boolean; size?: number; align?: Align } = {}): void {
    this.lines(text, opts);
  }

  space(lines = 1): void {
    this.doc.y += lines * BODY * 1.3;
    if (this.doc.y > this.bottom) this.newPage();
  }

  keyValues(rows: [string, string][]): void {
    const d = this.doc;
    const labelWidth = Math.min(150, this.width * 0.3);
    const valueWidth = this.width - labelWidth - 10;
    for (const [label, value] of rows) {
      d.font(REGULAR).fontSize(BODY);
      const valueLines = wrap(d, value, valueWidth);
      const h = valueLines.length * BODY * 1.3;
      this.ensure(h);
      const y = d.y;
      this.put(label, this.left, y, BODY);
      this.put(':', this.left + labelWidth, y, BODY);
      valueLines.forEach((line, i) => this.put(line, this.left + labelWidth + 10, y + i * BODY * 1.3, BODY));
      d.y = y + h;
    }
  }

  table(columns: Column[]): TableWriter {
    const total = columns.reduce((s, c) => s + c.width, 0);
    if (Math.abs(total - 1) > 0.001) throw new Error(`table columns add up to ${total}, not 1`);
    const d = this.doc;
    const xs: number[] = [];
    let x = this.left;
    for (const c of columns) {
      xs.push(x);
      x += c.width * this.width;
    }
    const widths = columns.map((c) => c.width * this.width - 2 * PAD);
    const lineHeight = TABLE * 1.25;

    const measure = (cells: string[], bold: boolean, header = false) => {
      d.font(bold ? BOLD : REGULAR).fontSize(TABLE);
      // Amounts (right-aligned) are never broken over lines: "Rp" on one line and the number on
      // the next misreads. They are drawn smaller instead when a column is too narrow.
      const wrapped = cells.map((c, i) =>
        columns[i].align === 'right' && !header ? [c ?? ''] : wrap(d, c ?? '', widths[i]),
      );
      const height = Math.max(...wrapped.map((w) => w.length)) * lineHeight + 2 * PAD;
      return { wrapped, height };
    };

    const draw = (cells: string[], o: { bold?: boolean; shade?: boolean; header?: boolean }) => {
      const { wrapped, height } = measure(cells, Boolean(o.bold || o.header), o.header);
      const y = d.y;
      if (o.header || o.shade) {
        d.save()
          .rect(this.left, y, this.width, height)
          .fill(o.header ? '#d9d9d9' : '#efefef')
          .restore();
        d.fillColor('black');
      }
      wrapped.forEach((lines, i) => {
        lines.forEach((line, j) => {
          const align = o.header ? 'center' : (columns[i].align ?? 'left');
          const bold = Boolean(o.bold || o.header);
          d.font(bold ? BOLD : REGULAR).fontSize(TABLE);
          const natural = d.widthOfString(line);
          const size = natural > widths[i] ? Math.max(4.5, (TABLE * widths[i]) / natural) : TABLE;
          this.placed(line, xs[i] + PAD, y + PAD + j * lineHeight + (TABLE - size) / 2, widths[i], align, size, bold);
        });
      });
      d.moveTo(this.left, y + height)
        .lineTo(this.left + this.width, y + height)
        .lineWidth(o.header ? 0.8 : 0.3)
        .stroke();
      d.y = y + height;
    };

    const headerCells = columns.map((c) => c.header);
    const header = () => draw(headerCells, { header: true });
    const headerHeight = measure(headerCells, true, true).height;
    this.ensure(headerHeight + lineHeight * 2);
    header();
    this.onNewPage = header;
    return {
      row: (cells, o = {}) => {
        if (cells.length !== columns.length)
          throw new Error(`row has ${cells.length} cells, the table ${columns.length} columns`);
        this.ensure(measure(cells, Boolean(o.bold)).height);
        draw(cells, o);
      },
      end: () => {
        this.onNewPage = undefined;
        d.y += 6;
      },
    };
  }

  pageBreak(): void {
    this.onNewPage = undefined;
    this.newPage();
  }

  /** Page numbers on every page, then the end of the file. Returns the number of pages. */
  finish(): number {
    if (this.opts.buffered) {
      const range = this.doc.bufferedPageRange();
      for (let i = range.start; i < range.start + range.count; i++) {
        this.doc.switchToPage(i);
        this.footer(i + 1, range.count);
      }
    } else {
      this.footer(this.pageNo, undefined);
    }
    this.doc.end();
    return this.pageNo;
  }
}
