// The picture of a QRIS payload, for the terminal screen (PNG) and for print (SVG). No express and
// no database: the route decides how to send it.
import QRCode from 'qrcode';

// Error correction M: about 15% of the codewords can be restored, enough for a smudged screen or a
// creased print at a market stall, while a ~260-character QRIS stays at version 9 (53 modules),
// coarse enough for a budget phone camera.
const ERROR_CORRECTION = 'M' as const;

// The quiet zone of 4 modules that ISO/IEC 18004 requires around the symbol. Scanners fail to
// find codes that sit right on a dark border.
const QUIET_ZONE_MODULES = 4;

export interface QrImageOptions {
  /** Pixels per module in the PNG; 8 gives ~490 px for our dynamic QRIS (version 9, 53 modules). */
  scale?: number;
}

function checkPayload(payload: string): void {
  if (typeof payload !== 'string' || payload.length === 0) {
    throw new TypeError('a QR image needs a non-empty payload string');
  }
}

/** `data:image/png;base64,...`, ready for an <img src>. */
export async function qrPngDataUrl(payload: string, options: QrImageOptions = {}): Promise<string> {
  checkPayload(payload);
  return QRCode.toDataURL(payload, {
    type: 'image/png',
    errorCorrectionLevel: ERROR_CORRECTION,
    margin: QUIET_ZONE_MODULES,
    scale: options.scale ?? 8,
  });
}

/** A standalone <svg> document; it scales without blur, so it is the one to print. */
export async function qrSvg(payload: string): Promise<string> {
  checkPayload(payload);
  return QRCode.toString(payload, {
    type: 'svg',
    errorCorrectionLevel: ERROR_CORRECTION,
    margin: QUIET_ZONE_MODULES,
  });
}
