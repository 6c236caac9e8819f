// The page furniture the scorecards share: fonts, headings, a figures grid, tables, quotes and a
// line chart, on A4 with page numbers. Every string passes through `#text()`, so user text is
// printed as given (pdfkit interprets no markup) and limited to what the font can encode.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { clean, creationDate, PLACEHOLDER, toWinAnsi } from './format.ts';

type Face = 'regular' | 'bold' | 'italic';

/** Debian's fonts-dejavu-core; DejaVu Sans covers Latin, Greek, Cyrillic, Hebrew, Arabic and ✓/○. */
const DEFAULT_FONT_DIR = '/usr/share/fonts/truetype/dejavu';
const DEJAVU: Record<Face, string> = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf', italic: 'DejaVuSans-Oblique.ttf' };
const BUILT_IN: Record<Face, string> = { regular: 'Helvetica', bold: 'Helvetica-Bold', italic: 'Helvetica-Oblique' };

const fontCache = new Map<string, Promise<Record<Face, Buffer> | null>>();

/** The font files of `dir`, read once per process; null when any is missing or unreadable. */
function fontFiles(dir: string): Promise<Record<Face, Buffer> | null> {
  let files = fontCache.get(dir);
  if (!files) {
    files = Promise.all((Object.keys(DEJAVU) as Face[]).map(async (face) => [face, await readFile(join(dir, DEJAVU[face]))] as const)).then(
      (entries) => Object.fromEntries(entries) as Record<Face, Buffer>,
      () => null,
    );
    fontCache.set(dir, files);
  }
  return files;
}

export const COLOR = { text: '#1b1f24', muted: '#5c6775', rule: '#cfd6df', accent: '#2457a6', good: '#1d7a4a', light: '#eef2f7' } as const;
const MARGIN = { top: 56, bottom: 64, left: 56, right: 56 };
const BODY = 10;
const LINE_GAP = 2;
const DETAIL_LINES = 6;

export interface Cell {
  label: string;
  value: string;
  /** Smaller text under the value. */
  detail?: string;
}

export interface Column {
  header: string;
  /** Share of the table's width. */
  width: number;
  align?: 'left' | 'right';
}

export interface ChartPoint {
  /** Epoch milliseconds. */
  x: number;
  y: number;
}

interface TextStyle {
  face?: Face;
  size?: number;
  color?: string;
  /** From the left margin. */
  indent?: number;
  /** Space after. */
  gap?: number;
}

export class Sheet {
  readonly #doc: PDFKit.PDFDocument;
  readonly #unicode: boolean;
  readonly #footer: string;
  readonly #pdf: Promise<Buffer>;

  private constructor(doc: PDFKit.PDFDocument, unicode: boolean, footer: string) {
    this.#doc = doc;
    this.#unicode = unicode;
    this.#footer = footer;
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    this.#pdf = new Promise((resolve, reject) => {
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      doc.on('error', reject);
    });
  }

  static async create({ title, subject, generatedAt, footer, fontDir = DEFAULT_FONT_DIR }: { title: string; subject: string; generatedAt: string; footer: string; fontDir?: string | null }): Promise<Sheet> {
    const files = fontDir === null ? null : await fontFiles(fontDir);
    const created = creationDate(generatedAt);
    const doc = new PDFDocument({
      size: 'A4',
      margins: MARGIN,
      bufferPages: true,
      lang: 'en',
      displayTitle: true,
      // Metadata strings are Unicode whatever the font.
      info: { Title: clean(title), Author: 'Rehearse', Subject: clean(subject), Creator: 'Rehearse', CreationDate: created, ModDate: created },
    });
    for (const face of Object.keys(BUILT_IN) as Face[]) {
      if (files) doc.registerFont(face, files[face]);
      else doc.registerFont(face, BUILT_IN[face]);
    }
    doc.font('regular').fontSize(BODY).fillColor(COLOR.text);
    return new Sheet(doc, files !== null, footer);
  }

  get #left(): number {
    return this.#doc.page.margins.left;
  }

  get #width(): number {
    return this.#doc.page.width - this.#doc.page.margins.left - this.#doc.page.margins.right;
  }

  #text(text: string): string {
    return this.#unicode ? clean(text) : toWinAnsi(text);
  }

  #style(face: Face, size: number, color: string): PDFKit.PDFDocument {
    return this.#doc.font(face).fontSize(size).fillColor(color);
  }

  #height(text: string, face: Face, size: number, width: number): number {
    return this.#style(face, size, COLOR.text).heightOfString(this.#text(text) || ' ', { width, lineGap: LINE_GAP });
  }

  /** Starts a new page unless `height` more fits on this one. */
  ensure(height: number): void {
    if (this.#doc.y + height > this.#doc.page.maxY()) this.#doc.addPage();
  }

  title(title: string, lines: string[]): void {
    const doc = this.#doc;
    this.#style('bold', 20, COLOR.text).text(this.#text(title), this.#left, MARGIN.top, { width: this.#width });
    for (const line of lines) this.#style('regular', BODY, COLOR.muted).text(this.#text(line), this.#left, doc.y + 2, { width: this.#width, lineGap: LINE_GAP });
    this.#rule(doc.y + 8, COLOR.accent, 1.2);
    doc.y += 16;
  }

  heading(text: string): void {
    const doc = this.#doc;
    // A heading stays with at least a couple of lines of what it introduces.
    this.ensure(60);
    doc.y += 12;
    this.#style('bold', 12.5, COLOR.accent).text(this.#text(text), this.#left, doc.y, { width: this.#width });
    this.#rule(doc.y + 2, COLOR.rule, 0.6);
    doc.y += 8;
  }

  subheading(text: string): void {
    this.ensure(40);
    this.#doc.y += 4;
    this.#style('bold', 10.5, COLOR.text).text(this.#text(text), this.#left, this.#doc.y, { width: this.#width, lineGap: LINE_GAP });
    this.#doc.y += 2;
  }

  paragraph(text: string, { face = 'regular', size = BODY, color = COLOR.text, indent = 0, gap = 4 }: TextStyle = {}): void {
    this.#style(face, size, color).text(this.#text(text) || PLACEHOLDER, this.#left + indent, this.#doc.y, { width: this.#width - indent, lineGap: LINE_GAP });
    this.#doc.y += gap;
  }

  /** A line led by a marker (✓, ○, +, •) in its own narrow column, and the words it quotes; both wrap beside the marker. */
  item(marker: string, text: string, { markerColor = COLOR.text as string, quote = null as string | null, at = null as string | null } = {}): void {
    const doc = this.#doc;
    const markerWidth = this.#unicode ? 14 : 22;
    this.ensure(BODY * 2.6);
    const y = doc.y;
    this.#style('bold', BODY, markerColor).text(this.#text(marker), this.#left, y, { width: markerWidth, lineBreak: false });
    this.#style('regular', BODY, COLOR.text).text(this.#text(text) || PLACEHOLDER, this.#left + markerWidth, y, { width: this.#width - markerWidth, lineGap: LINE_GAP });
    if (quote) this.#quote(quote, at, markerWidth);
    doc.y += 3;
  }

  /** “quoted words” in italics, with where they were said. */
  #quote(words: string, at: string | null, indent: number): void {
    const doc = this.#doc;
    const width = this.#width - indent;
    doc.y += 1;
    this.#style('italic', BODY - 0.5, COLOR.text).text(`“${this.#text(words)}”`, this.#left + indent, doc.y, { width, lineGap: LINE_GAP, continued: at !== null });
    if (at !== null) this.#style('regular', BODY - 0.5, COLOR.muted).text(this.#text(`  at ${at}`), { width, lineGap: LINE_GAP });
  }

  /** Label-over-value cells, `columns` to a row; a row never splits across pages. */
  grid(cells: Cell[], columns = 2): void {
    const doc = this.#doc;
    const gutter = 14;
    const cellWidth = (this.#width - gutter * (columns - 1)) / columns;
    const textWidth = cellWidth - 12;
    // A cell is a box that never splits, so its detail stops (with "…") well before a page is full.
    const detailMax = DETAIL_LINES * (this.#style('regular', 8.5, COLOR.muted).currentLineHeight(true) + LINE_GAP);
    const detailHeight = (detail: string) => Math.min(this.#height(detail, 'regular', 8.5, textWidth), detailMax);
    const heightOf = (cell: Cell) => this.#height(cell.label, 'regular', 8.5, textWidth) + this.#height(cell.value, 'bold', 12, textWidth) + (cell.detail ? detailHeight(cell.detail) + 1 : 0);
    for (let i = 0; i < cells.length; i += columns) {
      const row = cells.slice(i, i + columns);
      const height = Math.max(...row.map(heightOf)) + 12;
      this.ensure(height);
      const top = doc.y;
      row.forEach((cell, c) => {
        const x = this.#left + c * (cellWidth + gutter);
        doc.rect(x, top, cellWidth, height - 4).fill(COLOR.light);
        this.#style('regular', 8.5, COLOR.muted).text(this.#text(cell.label), x + 6, top + 4, { width: textWidth, lineGap: LINE_GAP });
        this.#style('bold', 12, COLOR.text).text(this.#text(cell.value) || PLACEHOLDER, x + 6, doc.y, { width: textWidth, lineGap: LINE_GAP });
        if (cell.detail) this.#style('regular', 8.5, COLOR.muted).text(this.#text(cell.detail), x + 6, doc.y + 1, { width: textWidth, lineGap: LINE_GAP, height: detailMax, ellipsis: true });
      });
      doc.y = top + height;
    }
  }

  /** Rows of text; a row never splits, and the header repeats on each page the table reaches. */
  table(columns: Column[], rows: string[][]): void {
    const doc = this.#doc;
    const pad = 4;
    const widths = columns.map((c) => c.width * this.#width);
    const xs = widths.map((_, i) => this.#left + widths.slice(0, i).reduce((a, b) => a + b, 0));
    const rowHeight = (cells: string[], face: Face) => Math.max(...cells.map((cell, i) => this.#height(cell, face, 9.5, widths[i]! - 2 * pad))) + 2 * pad;
    const drawRow = (cells: string[], face: Face, color: string) => {
      const top = doc.y;
      const height = rowHeight(cells, face);
      cells.forEach((cell, i) => {
        this.#style(face, 9.5, color).text(this.#text(cell) || PLACEHOLDER, xs[i]! + pad, top + pad, { width: widths[i]! - 2 * pad, align: columns[i]!.align ?? 'left', lineGap: LINE_GAP });
      });
      doc.y = top + height;
      this.#rule(doc.y, COLOR.rule, 0.5);
    };
    const header = columns.map((c) => c.header);
    this.ensure(rowHeight(header, 'bold') + (rows[0] ? rowHeight(rows[0], 'regular') : 0));
    drawRow(header, 'bold', COLOR.muted);
    for (const row of rows) {
      if (doc.y + rowHeight(row, 'regular') > doc.page.maxY()) {
        doc.addPage();
        drawRow(header, 'bold', COLOR.muted);
      }
      drawRow(row, 'regular', COLOR.text);
    }
    doc.y += 6;
  }

  /** A line chart of `points` over time, drawn as vector paths, with its axes labelled. */
  lineChart(points: ChartPoint[], { height = 140, yFormat, xFormat }: { height?: number; yFormat: (y: number) => string; xFormat: (x: number) => string }): void {
    const doc = this.#doc;
    this.ensure(height + 36);
    const axisWidth = 34;
    const left = this.#left + axisWidth;
    const right = this.#left + this.#width - 8;
    const top = doc.y + 6;
    const bottom = top + height;
    const yMax = niceCeiling(Math.max(...points.map((p) => p.y), 0));
    const xMin = Math.min(...points.map((p) => p.x));
    const xMax = Math.max(...points.map((p) => p.x));
    const xOf = (x: number) => (xMax === xMin ? (left + right) / 2 : left + ((x - xMin) / (xMax - xMin)) * (right - left));
    const yOf = (y: number) => bottom - (y / yMax) * height;

    for (const tick of [0, yMax / 2, yMax]) {
      const y = yOf(tick);
      doc.moveTo(left, y).lineTo(right, y).lineWidth(0.5).strokeColor(tick === 0 ? COLOR.muted : COLOR.rule).stroke();
      this.#style('regular', 8, COLOR.muted).text(this.#text(yFormat(tick)), this.#left, y - 4, { width: axisWidth - 6, align: 'right', lineBreak: false });
    }
    const [first, ...rest] = points;
    if (first) {
      doc.moveTo(xOf(first.x), yOf(first.y));
      for (const p of rest) doc.lineTo(xOf(p.x), yOf(p.y));
      doc.lineWidth(1.6).lineJoin('round').strokeColor(COLOR.accent).stroke();
      for (const p of points) doc.circle(xOf(p.x), yOf(p.y), 2.4).fill(COLOR.accent);
      const labelWidth = 90;
      const label = (x: number, at: number, align: 'left' | 'center' | 'right') =>
        this.#style('regular', 8, COLOR.muted).text(this.#text(xFormat(x)), at, bottom + 5, { width: labelWidth, align, lineBreak: false });
      if (xMax === xMin) label(xMin, (left + right - labelWidth) / 2, 'center');
      else {
        label(xMin, left, 'left');
        label(xMax, right - labelWidth, 'right');
      }
    }
    doc.fillColor(COLOR.text).strokeColor(COLOR.text);
    doc.x = this.#left;
    doc.y = bottom + 22;
  }

  #rule(y: number, color: string, width: number): void {
    this.#doc.moveTo(this.#left, y).lineTo(this.#left + this.#width, y).lineWidth(width).strokeColor(color).stroke();
  }

  /** Numbers every page, ends the document and resolves with its bytes. */
  finish(): Promise<Buffer> {
    const doc = this.#doc;
    const { start, count } = doc.bufferedPageRange();
    for (let i = start; i < start + count; i++) {
      doc.switchToPage(i);
      // Writing into the bottom margin would otherwise start a new page.
      const bottom = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      const y = doc.page.height - bottom + 24;
      const half = this.#width / 2;
      this.#style('regular', 8, COLOR.muted).text(this.#text(this.#footer), this.#left, y, { width: half, lineBreak: false });
      this.#style('regular', 8, COLOR.muted).text(this.#text(`Page ${i - start + 1} of ${count}`), this.#left + half, y, { width: half, align: 'right', lineBreak: false });
      doc.page.margins.bottom = bottom;
    }
    doc.end();
    return this.#pdf;
  }
}

/** The smallest of 1, 2, 2.5, 5 × 10ⁿ at or above `max` (at least 1), so axis ticks are round. */
function niceCeiling(max: number): number {
  if (!(max > 1)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((v) => v >= max)!;
}
