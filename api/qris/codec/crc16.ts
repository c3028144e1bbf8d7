// CRC-16/CCITT-FALSE, the checksum in QRIS tag 63 (EMVCo MPM §4.7.3):
// poly 0x1021, init 0xFFFF, no input or output reflection, xorout 0x0000. Check value
// CRC("123456789") = 0x29B1. Public QRIS code often gets this wrong by using the reflected
// polynomial 0x8408 (KERMIT/X-25), or by leaving "6304" out of the input; both give codes that
// every wallet app refuses.

const POLY = 0x1021;

// One entry per byte value: the CRC register after shifting that byte through, MSB first.
const TABLE: Uint16Array = (() => {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ POLY) & 0xffff : (crc << 1) & 0xffff;
    }
    table[byte] = crc;
  }
  return table;
})();

const utf8 = new TextEncoder();

/** CRC-16/CCITT-FALSE of the UTF-8 bytes of `text`. */
export function crc16CcittFalse(text: string): number {
  // Lengths in a QRIS count characters, but the CRC is over bytes: UTF-8, which only matters for
  // the alternate-language template (tag 64); plain QRIS payloads are ASCII.
  let crc = 0xffff;
  for (const byte of utf8.encode(text)) {
    crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ byte) & 0xff];
  }
  return crc;
}

/** The CRC as tag 63 carries it: 4 uppercase hex digits, zero-padded ("0E7E", not "E7E"). */
export function crc16Hex(text: string): string {
  return crc16CcittFalse(text).toString(16).toUpperCase().padStart(4, '0');
}

/** The tag 63 value for a payload that ends with "6304" (the CRC covers that ID and length too). */
export function qrisCrcFor(payloadUpToCrcTag: string): string {
  if (!payloadUpToCrcTag.endsWith('6304')) {
    throw new RangeError('the CRC input must end with the tag 63 header "6304"');
  }
  return crc16Hex(payloadUpToCrcTag);
}
