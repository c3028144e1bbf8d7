// The containers an Excel workbook comes in, checked before any spreadsheet library reads them:
// an officer uploads these, so what a workbook may cost is settled here, on the bytes.
// - xlsx is a zip. Every entry is inflated once with a hard cap on what it may grow to (a zip bomb
//   stops at the cap, not at the end of memory) and the cells of its worksheets are counted.
// - xls is an OLE2 compound file. Its sector table (FAT) must describe only sectors the file
//   holds (a file cut short describes more) and must hold no loop (a crafted loop would send a
//   reader round it for ever).
// Each check throws WorkbookRefusal with a sentence for the officer.
import { inflateRawSync } from 'node:zlib';

export type WorkbookKind = 'xlsx' | 'xls';

export interface WorkbookLimits {
  /** The workbook file itself */
  maxBytes: number;
  /** All of an xlsx's entries, inflated */
  maxUncompressed: number;
  /** Entries in an xlsx */
  maxEntries: number;
  /** Cells in the workbook (an xlsx's worksheets as written; the chosen sheet's rows x width) */
  maxCells: number;
}

/** A workbook of a busy day (150,000 BNI rows of 23 cells) fits; a bomb does not. A bigger day
 * comes as CSV, which streams. */
export const WORKBOOK_LIMITS: WorkbookLimits = {
  maxBytes: 32 * 1024 * 1024,
  maxUncompressed: 256 * 1024 * 1024,
  maxEntries: 10_000,
  maxCells: 4_000_000,
};

export class WorkbookRefusal extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'WorkbookRefusal';
  }
}

const ZIP_LOCAL = 0x04034b50;
const ZIP_CENTRAL = 0x02014b50;
const ZIP_END = 0x06054b50;
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/** A workbook by its first bytes, never by its name: xlsx is a zip (PK\x03\x04), xls an OLE2 file. */
export function workbookKind(bytes: Buffer): WorkbookKind | undefined {
  if (bytes.length >= 4 && bytes.readUInt32LE(0) === ZIP_LOCAL) return 'xlsx';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(OLE_MAGIC)) return 'xls';
  return undefined;
}

function refuse(reason: string): never {
  throw new WorkbookRefusal(reason);
}

/** Checks a zip's every entry and returns how many cells its worksheets write. */
export function checkXlsx(bytes: Buffer, limits: WorkbookLimits): { cells: number } {
  const cut = 'the xlsx file is cut short or damaged';
  // The end-of-directory record is in the last 22 + 65,535 bytes (its comment may be that long).
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (bytes.readUInt32LE(i) === ZIP_END) {
      end = i;
      break;
    }
  }
  if (end < 0) refuse(`${cut}: it has no zip directory at its end`);
  const count = bytes.readUInt16LE(end + 10);
  const dirSize = bytes.readUInt32LE(end + 12);
  const dirStart = bytes.readUInt32LE(end + 16);
  if (count === 0xffff || dirStart === 0xffffffff)
    refuse('the xlsx is a zip64 archive: no settlement workbook is that big');
  if (dirStart + dirSize > end) refuse(`${cut}: its zip directory points past the end of the file`);
  if (count > limits.maxEntries)
    refuse(`the xlsx holds ${count} files, more than the ${limits.maxEntries} a workbook may`);
  let at = dirStart;
  let inflated = 0;
  let cells = 0;
  let contentTypes = false;
  for (let n = 0; n < count; n++) {
    if (at + 46 > end || bytes.readUInt32LE(at) !== ZIP_CENTRAL)
      refuse(`${cut}: entry ${n + 1} of its zip directory is unreadable`);
    const flags = bytes.readUInt16LE(at + 8);
    const method = bytes.readUInt16LE(at + 10);
    const compressed = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    const local = bytes.readUInt32LE(at + 42);
    const name = bytes.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    if (flags & 0x1) refuse('the xlsx is encrypted: save it without a password');
    if (local + 30 > bytes.length || bytes.readUInt32LE(local) !== ZIP_LOCAL) refuse(`${cut}: ${name} is missing`);
    const dataStart = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    if (dataStart + compressed > bytes.length) refuse(`${cut}: ${name} ends past the end of the file`);
    const data = bytes.subarray(dataStart, dataStart + compressed);
    const budget = limits.maxUncompressed - inflated;
    let content: Buffer;
    if (method === 0) content = data;
    else if (method === 8) {
      try {
        content = inflateRawSync(data, { maxOutputLength: Math.max(budget, 1) });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') refuse(tooBig(limits));
        refuse(`${cut}: ${name} does not inflate (${(err as Error).message})`);
      }
    } else refuse(`the xlsx stores ${name} with compression method ${method}, which Excel does not write`);
    inflated += content.length;
    if (inflated > limits.maxUncompressed) refuse(tooBig(limits));
    if (name === '[Content_Types].xml') contentTypes = true;
    if (/^xl\/worksheets\/[^/]+\.xml$/i.test(name)) cells += countCells(content);
    if (cells > limits.maxCells) refuse(tooManyCells(cells, limits));
  }
  if (!contentTypes) refuse('a zip file, but not an Excel workbook: it has no [Content_Types].xml');
  return { cells };
}

function tooBig(limits: WorkbookLimits): string {
  return `the xlsx inflates to more than ${limits.maxUncompressed / 1024 / 1024} MiB: refused (export the report as CSV instead)`;
}

export function tooManyCells(cells: number, limits: WorkbookLimits): string {
  return `the workbook has ${cells.toLocaleString('en')} cells, more than the ${limits.maxCells.toLocaleString('en')} a workbook may: export the report as CSV instead`;
}

/** The <c> elements of a worksheet's XML (with or without a namespace prefix). */
function countCells(xml: Buffer): number {
  let n = 0;
  for (let i = xml.indexOf('<', 0); i >= 0; i = xml.indexOf('<', i + 1)) {
    let j = i + 1;
    // an optional prefix such as x:
    let k = j;
    while (k < xml.length && k - j < 16 && xml[k] !== 0x3a && xml[k] !== 0x20 && xml[k] !== 0x3e && xml[k] !== 0x2f)
      k++;
    if (xml[k] === 0x3a) j = k + 1;
    if (xml[j] === 0x63 /* c */ && (xml[j + 1] === 0x20 || xml[j + 1] === 0x3e || xml[j + 1] === 0x2f)) n++;
  }
  return n;
}

const FREESECT = 0xffffffff;
const ENDOFCHAIN = 0xfffffffe;
/** ENDOFCHAIN, FATSECT, DIFSECT and the reserved values above MAXREGSECT */
const MAXREGSECT = 0xfffffffa;

/** Checks an OLE2 file's sector table: every sector it uses is in the file, no chain loops. */
export function checkXls(bytes: Buffer): void {
  const cut = 'the xls file is cut short or damaged';
  if (bytes.length < 512) refuse(`${cut}: it ends inside its header`);
  const shift = bytes.readUInt16LE(30);
  if (shift !== 9 && shift !== 12) refuse(`${cut}: its sector size is unreadable`);
  const ssz = 1 << shift;
  const sectors = Math.floor((bytes.length - ssz) / ssz);
  const sectorAt = (id: number) => ssz + id * ssz;
  const fatCount = bytes.readUInt32LE(44);
  let difat = bytes.readUInt32LE(68);
  const difatCount = bytes.readUInt32LE(72);
  if (fatCount > sectors) refuse(`${cut}: it describes more sectors than it holds`);
  const fatSectors: number[] = [];
  for (let i = 0; i < 109 && fatSectors.length < fatCount; i++) fatSectors.push(bytes.readUInt32LE(76 + i * 4));
  const perSector = ssz / 4;
  for (let d = 0; d < difatCount && fatSectors.length < fatCount; d++) {
    if (difat >= sectors) refuse(`${cut}: a part of its sector table is past the end of the file`);
    const base = sectorAt(difat);
    for (let i = 0; i < perSector - 1 && fatSectors.length < fatCount; i++)
      fatSectors.push(bytes.readUInt32LE(base + i * 4));
    difat = bytes.readUInt32LE(base + (perSector - 1) * 4);
  }
  if (fatSectors.length < fatCount) refuse(`${cut}: its sector table is incomplete`);
  const fat = new Uint32Array(fatCount * perSector);
  fatSectors.forEach((id, k) => {
    if (id >= sectors) refuse(`${cut}: its sector table is past the end of the file`);
    const base = sectorAt(id);
    for (let i = 0; i < perSector; i++) fat[k * perSector + i] = bytes.readUInt32LE(base + i * 4);
  });
  // Every chain runs through sectors the file holds. (Past the end, some writers leave entries
  // ENDOFCHAIN rather than free: harmless unless a stream starts there, checked below.)
  for (let i = 0; i < fat.length; i++) {
    const next = fat[i];
    if (next === FREESECT || (i >= sectors && next === ENDOFCHAIN)) continue;
    if (i >= sectors) refuse(`${cut}: it uses sectors past the end of the file`);
    if (next < MAXREGSECT && next >= sectors) refuse(`${cut}: a chain of its sectors runs past the end of the file`);
  }
  // No loops: each chain walked once, a sector met again on the same walk is a loop.
  const state = new Uint8Array(fat.length); // 0 unseen, 1 on this walk, 2 known to end
  for (let start = 0; start < fat.length; start++) {
    const path: number[] = [];
    let i = start;
    while (i < fat.length && state[i] === 0 && fat[i] !== FREESECT) {
      state[i] = 1;
      path.push(i);
      i = fat[i];
    }
    if (i < fat.length && state[i] === 1) refuse(`${cut}: its sector chains loop`);
    for (const p of path) state[p] = 2;
  }
  // Each stream kept in whole sectors (the root's mini stream, a stream of 4 KiB or more)
  // starts in the file and its chain is as long as its size.
  const chainBytes = (start: number) => {
    let n = 0;
    for (let i = start; i < sectors; i = fat[i] ?? ENDOFCHAIN) n += ssz;
    return n;
  };
  const cutoff = bytes.readUInt32LE(56);
  const dirStart = bytes.readUInt32LE(48);
  if (dirStart >= sectors) refuse(`${cut}: its directory is past the end of the file`);
  for (let d = dirStart, seen = 0; d < sectors && seen <= fat.length; d = fat[d] ?? ENDOFCHAIN, seen++) {
    for (let e = sectorAt(d); e < sectorAt(d) + ssz; e += 128) {
      const type = bytes[e + 66];
      const start = bytes.readUInt32LE(e + 116);
      const size = bytes.readUInt32LE(e + 120);
      const inSectors = type === 5 || (type === 2 && size >= cutoff);
      if (!inSectors || size === 0) continue;
      if (start >= sectors || chainBytes(start) < size) refuse(`${cut}: a stream in it ends past the end of the file`);
    }
  }
}
