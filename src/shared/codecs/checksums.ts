/**
 * Checksums a payload can end with. The CRCs come from the `crc` package's
 * table-driven calculators (pure JS over Uint8Array, so the renderer previews
 * with the same code the engine sends with); sum8 and xor8 are one line each.
 */
import crc8 from 'crc/calculators/crc8';
import crc16ccitt from 'crc/calculators/crc16ccitt';
import crc16modbus from 'crc/calculators/crc16modbus';
import crc16xmodem from 'crc/calculators/crc16xmodem';
import crc32 from 'crc/calculators/crc32';

export type ByteOrder = 'be' | 'le';

export interface ChecksumAlgorithm {
  /** The name written in a payload: `{crc16-modbus}`. */
  name: string;
  /** Width in bytes. */
  width: 1 | 2 | 4;
  /** How it is sent unless the payload says otherwise (Modbus sends its CRC low byte first). */
  order: ByteOrder;
  compute(bytes: Uint8Array): number;
}

function sum8(bytes: Uint8Array): number {
  let sum = 0;
  for (const byte of bytes) sum = (sum + byte) & 0xff;
  return sum;
}

function xor8(bytes: Uint8Array): number {
  let value = 0;
  for (const byte of bytes) value ^= byte;
  return value;
}

/** Every checksum by the name a payload uses; CRC-8 is the plain CRC-8 (poly 0x07, init 0). */
export const checksums: Record<string, ChecksumAlgorithm> = {
  sum8: { name: 'sum8', width: 1, order: 'be', compute: sum8 },
  xor8: { name: 'xor8', width: 1, order: 'be', compute: xor8 },
  crc8: { name: 'crc8', width: 1, order: 'be', compute: (bytes) => crc8(bytes) },
  'crc16-modbus': {
    name: 'crc16-modbus',
    width: 2,
    order: 'le',
    compute: (bytes) => crc16modbus(bytes),
  },
  'crc16-ccitt-false': {
    name: 'crc16-ccitt-false',
    width: 2,
    order: 'be',
    compute: (bytes) => crc16ccitt(bytes),
  },
  'crc16-xmodem': {
    name: 'crc16-xmodem',
    width: 2,
    order: 'be',
    compute: (bytes) => crc16xmodem(bytes),
  },
  crc32: { name: 'crc32', width: 4, order: 'be', compute: (bytes) => crc32(bytes) >>> 0 },
};

export const checksumNames = Object.keys(checksums);

/** The checksum's value as `width` bytes in the given order. */
export function checksumBytes(algorithm: ChecksumAlgorithm, value: number, order: ByteOrder) {
  const out = new Uint8Array(algorithm.width);
  for (let index = 0; index < algorithm.width; index++) {
    const shift = 8 * (order === 'be' ? algorithm.width - 1 - index : index);
    out[index] = (value >>> shift) & 0xff;
  }
  return out;
}
