import { describe, expect, it } from 'vitest';
import {
  UdpBindArgs,
  UdpMembershipArgs,
  UdpSendDatagramsArgs,
  multicastGroupProblem,
} from '@shared/contract/udp';

describe('UDP contract', () => {
  it('knows multicast groups: IPv4 224/4 and IPv6 ff00::/8, with a scope', () => {
    expect(multicastGroupProblem('224.0.0.1')).toBeNull();
    expect(multicastGroupProblem('239.255.255.255')).toBeNull();
    expect(multicastGroupProblem('ff02::1%eth0')).toBeNull();
    expect(multicastGroupProblem('240.0.0.1')).toMatch(/224\.0\.0\.0 to 239\.255\.255\.255/);
    expect(multicastGroupProblem('fe80::1')).toMatch(/start with ff/);
    expect(multicastGroupProblem('group')).toMatch(/not an IPv4 or IPv6 address/);
  });

  it('binds 0.0.0.0, any port, broadcast off and multicast loopback on by default', () => {
    expect(UdpBindArgs.parse({})).toMatchObject({
      localAddress: '0.0.0.0',
      localPort: 0,
      ipv6Only: false,
      reuseAddress: false,
      broadcast: false,
      multicastLoopback: true,
    });
  });

  it('names the field and the range of what it refuses', () => {
    const problems = (value: unknown) =>
      UdpBindArgs.safeParse(value).error?.issues.map(
        (issue) => `${issue.path.join('.')}: ${issue.message}`,
      );
    expect(problems({ recvBufferBytes: 10 })).toEqual([
      'recvBufferBytes: must be from 1024 to 268435456 bytes',
    ]);
    expect(problems({ ttl: 0 })).toEqual(['ttl: must be from 1 to 255']);
    expect(problems({ connectTo: { host: 'a b', port: 0 } })).toHaveLength(2);
    expect(
      UdpMembershipArgs.safeParse({ sessionId: 'udp-1', group: '' }).error?.issues[0]?.message,
    ).toBe('must not be empty');
  });

  it('sends files as datagrams of 1,024 bytes by default, up to 65,527', () => {
    const parsed = UdpSendDatagramsArgs.parse({
      sessionId: 'udp-1',
      payload: { format: 'hex', text: '00' },
    });
    expect(parsed).toMatchObject({ datagramBytes: 1024, pacingMs: 0 });
    expect(
      UdpSendDatagramsArgs.safeParse({
        sessionId: 'udp-1',
        payload: { format: 'hex', text: '00' },
        datagramBytes: 65_528,
      }).success,
    ).toBe(false);
  });
});
