// The QR images are read back with a real decoder (jsQR) from their pixels, so a test passes only
// if a scanner would get the exact payload, CRC included.
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { encodeDynamicQris, qrPngDataUrl, qrSvg, type EncodeDynamicQrisInput } from '../../api/qris/codec/qris-codec';
import { loadQrisSamples } from './qris-samples';

const QUIET_ZONE = 4;

function payload(overrides: Partial<EncodeDynamicQrisInput> = {}): string {
  return encodeDynamicQris({
    merchantAccount: {
      globalId: 'ID.CO.BANKDKI.WWW',
      merchantPan: '936001110000001585',
      merchantId: '00001585',
      criteria: 'URE',
    },
    nmid: 'ID1023271450331',
    mcc: '9399',
    merchantName: 'PASAR KRAMAT JATI',
    merchantCity: 'JAKARTA TIMUR',
    postalCode: '13510',
    amount: '15000.00',
    billNumber: 'RTB-2026-000123',
    referenceLabel: 'RP7F3K9Q2M4X1B',
    terminalLabel: 'KJ-A-017',
    ...overrides,
  });
}

interface Bitmap {
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
}

function pngFromDataUrl(dataUrl: string): Bitmap {
  const prefix = 'data:image/png;base64,';
  expect(dataUrl.startsWith(prefix)).toBe(true);
  const png = PNG.sync.read(Buffer.from(dataUrl.slice(prefix.length), 'base64'));
  return { width: png.width, height: png.height, rgba: new Uint8ClampedArray(png.data) };
}

function scan(bitmap: Bitmap) {
  const code = jsQR(bitmap.rgba, bitmap.width, bitmap.height);
  if (!code) throw new Error('jsQR found no QR code in the image');
  return code;
}

/** Dark modules of the SVG that qrcode draws: one path of "M x y" / "m dx 0" moves and "h n" runs. */
function rasterizeSvg(svg: string, pixelsPerModule: number): Bitmap {
  const size = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)![1]);
  const d = /<path [^>]*stroke="#000000"[^>]* d="([^"]+)"/.exec(svg)![1];
  const width = size * pixelsPerModule;
  const rgba = new Uint8ClampedArray(width * width * 4).fill(255);
  let x = 0;
  let y = 0;
  for (const [, cmd, a, b] of d.matchAll(/([MmHh])(-?[\d.]+)(?: (-?[\d.]+))?/g)) {
    if (cmd === 'M') [x, y] = [Number(a), Math.floor(Number(b))];
    else if (cmd === 'm') [x, y] = [x + Number(a), y + Math.floor(Number(b ?? 0))];
    else if (cmd === 'h') {
      for (let col = x; col < x + Number(a); col++) paint(rgba, width, col, y, pixelsPerModule);
      x += Number(a);
    } else throw new Error(`unexpected SVG path command ${cmd}`);
  }
  return { width, height: width, rgba };
}

function paint(rgba: Uint8ClampedArray, width: number, col: number, row: number, scale: number): void {
  for (let py = row * scale; py < (row + 1) * scale; py++) {
    for (let px = col * scale; px < (col + 1) * scale; px++)
      rgba.fill(0, (py * width + px) * 4, (py * width + px) * 4 + 3);
  }
}

function isDark(bitmap: Bitmap, moduleRow: number, moduleCol: number, scale: number): boolean {
  const px = Math.floor((moduleCol + 0.5) * scale);
  const py = Math.floor((moduleRow + 0.5) * scale);
  return bitmap.rgba[(py * bitmap.width + px) * 4] < 128;
}

// One render at the default size shared by two tests: qrcode's PNG packing is slow under jest.
let defaultPng: Bitmap;
beforeAll(async () => {
  defaultPng = pngFromDataUrl(await qrPngDataUrl(payload()));
});

test('the PNG data URL scans back to the exact payload', () => {
  expect(scan(defaultPng).data).toBe(payload());
});

test('the PNG uses error correction level M and keeps a 4-module quiet zone', () => {
  const bitmap = defaultPng;
  const size = 17 + 4 * scan(bitmap).version;
  const scale = bitmap.width / (size + 2 * QUIET_ZONE);
  expect(Number.isInteger(scale)).toBe(true);
  // Format information, ISO/IEC 18004 §7.9: the level is in bits 14-13, next to the top-left finder
  // (row 8, columns 0 and 1), XORed with mask 101010000010010. M is 00, so dark then light.
  expect([
    isDark(bitmap, QUIET_ZONE + 8, QUIET_ZONE, scale),
    isDark(bitmap, QUIET_ZONE + 8, QUIET_ZONE + 1, scale),
  ]).toEqual([true, false]);
  for (let i = 0; i < size + 2 * QUIET_ZONE; i++) {
    expect([isDark(bitmap, 0, i, scale), isDark(bitmap, i, QUIET_ZONE - 1, scale)]).toEqual([false, false]);
  }
});

test('a payload with every field at its maximum length still scans back exactly', async () => {
  const text = payload({
    merchantAccount: {
      globalId: 'ID.CO.BANKPEMBANGUNANDAERAH.WWW',
      merchantPan: '9360011100000015850',
      merchantId: 'MERCHANT1234567',
      criteria: 'URE',
    },
    merchantName: 'PASAR INDUK KRAMAT JATI B',
    merchantCity: 'KOTA JAKARTA TI',
    billNumber: 'RTB-2026-000123-000456-78',
    referenceLabel: 'RP7F3K9Q2M4X1BZZZZZZZZZZZ',
    terminalLabel: 'KJ-A-017-LANTAI-2-KIOS-99',
    amount: '9999999.99',
  });
  expect(scan(pngFromDataUrl(await qrPngDataUrl(text, { scale: 4 }))).data).toBe(text);
});

// Real payloads mix lowercase, spaces, '*', '/' and '.', which change how qrcode splits the text
// into numeric, alphanumeric and byte segments. The SVG path is drawn from the same symbol as the
// PNG and is much faster to produce here, so it carries this loop.
test('every decodable conformance sample is drawn as a code that scans back to itself', async () => {
  const samples = loadQrisSamples().filter((s) => s.crcValid);
  expect(samples).toHaveLength(43);
  for (const { payload: text } of samples) {
    expect(scan(rasterizeSvg(await qrSvg(text), 3)).data).toBe(text);
  }
});

test('the SVG is a standalone, crisp document whose drawing scans back to the exact payload', async () => {
  const text = payload();
  const svg = await qrSvg(text);
  expect(svg).toMatch(
    /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" [^>]*viewBox="0 0 \d+ \d+" shape-rendering="crispEdges">/,
  );
  expect(scan(rasterizeSvg(svg, 6)).data).toBe(text);
});

test('an empty payload is refused rather than drawn as an empty code', async () => {
  await expect(qrPngDataUrl('')).rejects.toThrow(TypeError);
  await expect(qrSvg('')).rejects.toThrow(TypeError);
});
