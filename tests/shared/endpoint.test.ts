import { describe, expect, it } from 'vitest';
import { formatAddress, formatEndpoint } from '@shared/endpoint';

describe('endpoints', () => {
  it('writes host:port, an IPv6 address in brackets', () => {
    expect(formatEndpoint('127.0.0.1', 80)).toBe('127.0.0.1:80');
    expect(formatEndpoint('example.test', 443)).toBe('example.test:443');
    expect(formatEndpoint('::1', 53)).toBe('[::1]:53');
    expect(formatEndpoint('fe80::1%eth0', 9)).toBe('[fe80::1%eth0]:9');
  });

  it('writes a socket address, or what stands for an unknown one', () => {
    expect(formatAddress({ address: '::ffff:1.2.3.4', port: 7, family: 'IPv6' })).toBe(
      '[::ffff:1.2.3.4]:7',
    );
    expect(formatAddress(null)).toBe('');
    expect(formatAddress(null, '—')).toBe('—');
  });
});
