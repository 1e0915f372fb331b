import { describe, expect, it } from 'vitest';
import { commands, RepeatArgs, SendArgs, SessionInfo } from '@shared/contract';
import { ErrorCode, ErrorEnvelope } from '@shared/errors';

const payload = { format: 'text', text: 'hi' } as const;
const base = {
  id: 'x-1',
  label: 'x',
  local: null,
  family: null,
  fd: null,
  sinceUs: null,
  closedAtUs: null,
  stats: { bytesIn: 0, bytesOut: 0, packetsIn: 0, packetsOut: 0, rateInBps: 0, rateOutBps: 0 },
  repeat: null,
  writeQueue: { queuedBytes: 0, limitBytes: 16777216 },
  lastError: null,
};

describe('SendArgs', () => {
  it('takes a datagram destination or a server peer set, checked field by field', () => {
    expect(
      SendArgs.safeParse({ sessionId: 'u', payload, to: { host: '::1', port: 53 } }).success,
    ).toBe(true);
    expect(SendArgs.safeParse({ sessionId: 's', payload, peers: 'all' }).success).toBe(true);
    expect(SendArgs.safeParse({ sessionId: 's', payload, peers: ['p-1', 'p-2'] }).success).toBe(
      true,
    );

    const badPort = SendArgs.safeParse({ sessionId: 'u', payload, to: { host: 'a', port: 0 } });
    expect(badPort.error?.issues[0]).toMatchObject({
      path: ['to', 'port'],
      message: 'must be from 1 to 65535',
    });
    const badHost = SendArgs.safeParse({ sessionId: 'u', payload, to: { host: 'a b', port: 9 } });
    expect(badHost.error?.issues[0]?.path).toEqual(['to', 'host']);
    const noPeers = SendArgs.safeParse({ sessionId: 's', payload, peers: [] });
    expect(noPeers.error?.issues[0]?.message).toMatch(/at least one peer/);
    const both = RepeatArgs.safeParse({
      sessionId: 's',
      payload,
      intervalMs: 10,
      to: { host: 'a', port: 9 },
      peers: 'all',
    });
    expect(both.error?.issues[0]).toMatchObject({ path: ['peers'] });
  });
});

/** A UDP socket's own facts beside the base. */
const udpFacts = {
  type: 'dgram',
  protocol: 'udp',
  bindTo: { address: '0.0.0.0', port: 0 },
  remote: null,
  options: {
    reuseAddress: false,
    ipv6Only: false,
    broadcast: false,
    ttl: null,
    recvBufferBytes: 212992,
    sendBufferBytes: 212992,
    recvBufferRequested: null,
    sendBufferRequested: null,
    multicastTtl: null,
    multicastLoopback: true,
    multicastInterface: null,
  },
  memberships: [],
  peers: [],
  peersSeen: 0,
};

describe('SessionInfo', () => {
  it('is a union on kind, each kind with its own states', () => {
    expect(
      SessionInfo.safeParse({ ...base, ...udpFacts, kind: 'udp', transport: 'udp', state: 'bound' })
        .success,
    ).toBe(true);
    expect(
      SessionInfo.safeParse({
        ...base,
        ...udpFacts,
        kind: 'udp',
        transport: 'udp',
        state: 'connected',
      }).success,
    ).toBe(false);
    expect(
      SessionInfo.safeParse({
        ...base,
        kind: 'tcp-server',
        transport: 'tcp',
        state: 'listening',
        peerIds: ['p-1'],
        requested: { host: '0.0.0.0', port: 0 },
        ipv6Only: false,
        backlog: 511,
        mode: 'echo',
        requestEnd: { by: 'line' },
        answer: null,
        idleKickSeconds: 0,
        maxClients: 0,
        keepAlive: false,
        noDelay: true,
        clientsNow: 1,
        clientsTotal: 1,
        refusals: 0,
        heartbeat: null,
        rules: null,
      }).success,
    ).toBe(true);
    expect(
      SessionInfo.safeParse({
        ...base,
        kind: 'tcp-peer',
        transport: 'tcp',
        state: 'peer-closed',
        serverId: 's-1',
        remote: { address: '127.0.0.1', port: 5, family: 'IPv4' },
        keepAlive: false,
        noDelay: true,
        lastActivityUs: 1,
        endedBy: null,
        heartbeat: null,
      }).success,
    ).toBe(true);
    // A client the server's heartbeat found dead, and one it closed for that.
    for (const [state, endedBy] of [
      ['dead', null],
      ['closed', 'dead'],
    ] as const)
      expect(
        SessionInfo.safeParse({
          ...base,
          kind: 'tcp-peer',
          transport: 'tcp',
          state,
          serverId: 's-1',
          remote: { address: '127.0.0.1', port: 5, family: 'IPv4' },
          keepAlive: false,
          noDelay: true,
          lastActivityUs: 1,
          endedBy,
          heartbeat: null,
        }).success,
      ).toBe(true);
  });
});

describe('the command table and error codes', () => {
  it('joins every domain into one table', () => {
    expect(Object.keys(commands)).toEqual(
      expect.arrayContaining([
        'app.info',
        'lookup.dns',
        'services.search',
        'session.send',
        'log.export',
      ]),
    );
  });

  it('accepts only the closed set of codes in an envelope', () => {
    expect(ErrorEnvelope.safeParse({ code: ErrorCode.disconnected, message: 'x' }).success).toBe(
      true,
    );
    expect(ErrorEnvelope.safeParse({ code: 'ERR_MADE_UP', message: 'x' }).success).toBe(false);
  });
});
