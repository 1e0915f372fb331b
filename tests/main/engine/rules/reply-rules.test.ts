import type { Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checksums } from '@shared/codecs/checksums';
import { Engine } from '../../../../src/main/engine';
import { fillCaptures } from '../../../../src/main/engine/rules/reply-rules';
import { call, eventually, tcpClientInfo } from '../../../support/engine-calls';
import { startPeer } from '../../../support/peers';
import type { TestPeer } from '../../../support/peers';

const text = (value: string) => ({ format: 'text' as const, text: value });

describe('reply rules against real peers on loopback', () => {
  let engine: Engine;
  const cleanups: (() => unknown)[] = [];

  beforeAll(async () => {
    engine = await Engine.start({ transport: 'web', version: 'test' });
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });
  afterAll(async () => engine.close());

  /** A peer that keeps what it gets; the test writes to it by hand. */
  async function connected(): Promise<{
    sessionId: string;
    peer: TestPeer;
    socket: Socket;
    got: () => string;
  }> {
    const peer = await startPeer({ onConnection: () => {} });
    cleanups.push(() => peer.close());
    const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: peer.port });
    cleanups.push(() => call(engine, 'session.remove', { sessionId: session.id }));
    await eventually(() => expect(peer.connections).toHaveLength(1));
    return {
      sessionId: session.id,
      peer,
      socket: peer.connections[0]!,
      got: () => Buffer.concat(peer.received[0]!).toString('latin1'),
    };
  }

  it('answers a regex match with its captures and macros, tagged with the rule in the log', async () => {
    const { sessionId, socket, got } = await connected();
    await call(engine, 'session.rules', {
      sessionId,
      rules: [
        {
          name: 'get',
          match: { kind: 'regex', value: '^GET (\\w+) (?<id>\\d+)' },
          reply: text('OK $1 #$<id> n={counter:start=1}\\r\\n'),
        },
      ],
    });
    socket.write('GET temp 42\r\n');
    await eventually(() => expect(got()).toBe('OK temp #42 n=1\r\n'));
    socket.write('GET hum 7\r\n');
    await eventually(() => expect(got()).toBe('OK temp #42 n=1\r\nOK hum #7 n=2\r\n'));
    const sent = [...engine.log.iterate(sessionId)].filter((r) => r.direction === 'out');
    expect(sent.map((r) => r.message)).toEqual(['rule "get"', 'rule "get"']);
    const info = await tcpClientInfo(engine, sessionId);
    expect(info.rules?.rules[0]).toMatchObject({ name: 'get', hits: 2, stoppedByLimit: false });
  });

  it('matches hex with wildcards, first match only or every match, and skips disabled rules', async () => {
    const { sessionId, socket, got } = await connected();
    const rules = [
      {
        name: 'off',
        enabled: false,
        match: { kind: 'prefix' as const, value: '\u0001' },
        reply: text('X'),
      },
      {
        name: 'modbus',
        match: { kind: 'hex' as const, value: '01 03 ?? ?? 00 01' },
        reply: { format: 'hex' as const, text: '01 03 02 00 2A {crc16-modbus}' },
      },
      { name: 'any', match: { kind: 'contains' as const, value: '\u0003' }, reply: text('+') },
    ];
    await call(engine, 'session.rules', { sessionId, rules });
    socket.write(Buffer.from('010300100001', 'hex'));
    const answer = Buffer.from('010302002a', 'hex');
    const crc = checksums['crc16-modbus']!.compute(answer);
    const expected = Buffer.concat([answer, Buffer.from([crc & 0xff, crc >> 8])]).toString('hex');
    await eventually(() => expect(Buffer.from(got(), 'latin1').toString('hex')).toBe(expected));
    // Wrong length: no match for the hex rule, so only the contains rule answers.
    socket.write(Buffer.from('0103001000', 'hex'));
    await eventually(() => expect(got().endsWith('+')).toBe(true));
    await call(engine, 'session.rules', { sessionId, rules, mode: 'all' });
    socket.write(Buffer.from('010300100001', 'hex'));
    await eventually(() => expect(got().length).toBe(7 + 1 + 7 + 1));
  });

  it('waits the delay before replying', async () => {
    const { sessionId, socket, got } = await connected();
    await call(engine, 'session.rules', {
      sessionId,
      rules: [
        {
          name: 'slow',
          match: { kind: 'exact', value: 'ping' },
          reply: text('pong'),
          delayMs: 300,
        },
      ],
    });
    const start = performance.now();
    socket.write('ping');
    await eventually(() => expect(got()).toBe('pong'));
    expect(performance.now() - start).toBeGreaterThanOrEqual(290);
  });

  it('stops a rule that answers its own replies in a loop, and says so', async () => {
    const echo = await startPeer();
    cleanups.push(() => echo.close());
    const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: echo.port });
    cleanups.push(() => call(engine, 'session.remove', { sessionId: session.id }));
    await call(engine, 'session.rules', {
      sessionId: session.id,
      rules: [
        {
          name: 'echo',
          match: { kind: 'contains', value: 'x' },
          reply: text('x'),
          maxPerSecond: 20,
        },
      ],
    });
    await call(engine, 'session.send', { sessionId: session.id, payload: text('x') });
    await eventually(async () => {
      const info = await tcpClientInfo(engine, session.id);
      expect(info.rules?.rules[0]).toMatchObject({ enabled: false, stoppedByLimit: true });
    });
    const info = await tcpClientInfo(engine, session.id);
    expect(info.rules!.rules[0]!.hits).toBeLessThanOrEqual(20);
    const notes = [...engine.log.iterate(session.id)].filter(
      (r) => r.direction === 'event' && r.message?.includes('stopped'),
    );
    expect(notes[0]!.message).toBe(
      'Rule "echo" stopped: more than 20 replies in a second (is it answering its own replies?)',
    );
    // Bounded: nothing more is sent once the rule stopped.
    const sentBefore = info.stats.packetsOut;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await tcpClientInfo(engine, session.id)).stats.packetsOut).toBe(sentBefore);
  });

  it('refuses a bad regex naming the rule', async () => {
    const { sessionId } = await connected();
    await expect(
      call(engine, 'session.rules', {
        sessionId,
        rules: [
          { name: 'fine', match: { kind: 'exact', value: 'a' }, reply: text('b') },
          { name: 'broken', match: { kind: 'regex', value: 'a(b' }, reply: text('c') },
        ],
      }),
    ).rejects.toThrow(
      /rules\.1\.match\.value: rule 2 "broken": is not a valid regular expression at its end: Unterminated group/,
    );
    await expect(
      call(engine, 'session.rules', {
        sessionId,
        rules: [{ name: 'hex', match: { kind: 'hex', value: 'AA ?x' }, reply: text('c') }],
      }),
    ).rejects.toThrow(/rule 1 "hex": "\?x" at position 4 is neither a hex byte nor \?\?/);
  });

  it('echoes any bytes exactly with the Latin-1 echo preset, backslashes and braces included', async () => {
    const { sessionId, socket, got } = await connected();
    await call(engine, 'session.rules', {
      sessionId,
      rules: [
        {
          name: 'echo',
          match: { kind: 'regex', value: '^([\\s\\S]+)$', charset: 'latin1' },
          reply: { format: 'text', text: '$1', charset: 'latin1' },
        },
      ],
    });
    const data = Buffer.from([0x00, 0x5c, 0x7b, 0x73, 0x65, 0x71, 0x7d, 0xff, 0x80, 0x0d, 0x0a]);
    socket.write(data);
    await eventually(() =>
      expect(Buffer.from(got(), 'latin1').toString('hex')).toBe(data.toString('hex')),
    );
  });

  it('fills $1 and $<name>, leaving absent groups empty', () => {
    expect(fillCaptures('a$1b$<x>c$2', { captures: ['all', 'one'], named: { x: 'X' } })).toBe(
      'aonebXc',
    );
  });
});
