import { describe, expect, it } from 'vitest';
import { checksumBytes, checksums } from '@shared/codecs/checksums';

const vector = new TextEncoder().encode('123456789');

describe('checksums over "123456789"', () => {
  it.each([
    ['sum8', 0xdd],
    ['xor8', 0x31],
    ['crc8', 0xf4],
    ['crc16-modbus', 0x4b37],
    ['crc16-ccitt-false', 0x29b1],
    ['crc16-xmodem', 0x31c3],
    ['crc32', 0xcbf43926],
  ])('%s is 0x%s', (name, expected) => {
    expect(checksums[name]!.compute(vector)).toBe(expected);
  });

  it('writes Modbus low byte first by default, and either order on request', () => {
    const modbus = checksums['crc16-modbus']!;
    expect([...checksumBytes(modbus, 0x4b37, modbus.order)]).toEqual([0x37, 0x4b]);
    expect([...checksumBytes(modbus, 0x4b37, 'be')]).toEqual([0x4b, 0x37]);
    const crc32 = checksums.crc32!;
    expect([...checksumBytes(crc32, 0xcbf43926, 'be')]).toEqual([0xcb, 0xf4, 0x39, 0x26]);
    expect([...checksumBytes(crc32, 0xcbf43926, 'le')]).toEqual([0x26, 0x39, 0xf4, 0xcb]);
  });

  it('sum8 wraps and xor8 of a byte with itself is zero', () => {
    expect(checksums.sum8!.compute(Uint8Array.of(0xff, 0x02))).toBe(0x01);
    expect(checksums.xor8!.compute(Uint8Array.of(0x5a, 0x5a))).toBe(0);
  });
});
