import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands, patternProblem } from '@shared/contract';
import type { SockscopeError } from '@shared/errors';
import type { CommandName } from '@shared/contract';
import { parseBase64, parseHex, payloadProblem } from '@shared/codecs/payload';
import { Engine } from '../../../src/main/engine';
import { engineEn, engineZh } from '../../../src/renderer/src/lib/engine-messages';
import {
  errorText,
  eventText,
  noticeText,
  problemText,
} from '../../../src/renderer/src/lib/engine-words';
import { LaggingPageFilter } from '../../../src/main/web/lagging-page';
import { call, eventually } from '../../support/engine-calls';
import { freePort, startPeer } from '../../support/peers';
import type { TestPeer } from '../../support/peers';

/** The first problem the contract's own schema gives for these arguments. */
function problemOf(command: CommandName, args: unknown): string {
  const parsed = commands[command].args.safeParse(args);
  if (parsed.success) throw new Error(`${command} accepted ${JSON.stringify(args)}`);
  return parsed.error.issues[0]!.message;
}

/** The coded error a call was refused with. */
function refusalOf(pending: Promise<unknown>): Promise<SockscopeError> {
  return pending.then(
    () => {
      throw new Error('the engine accepted the call');
    },
    (error: unknown) => error as SockscopeError,
  );
}

const hasChinese = (text: string) => /[\u4e00-\u9fff]/.test(text);

describe('field problems from the contract, worded in Chinese', () => {
  const problems: string[] = [
    problemOf('tcp.connect', { host: '127.0.0.1', port: 0 }),
    problemOf('tcp.connect', { host: '127.0.0.1', port: 'x' }),
    problemOf('tcp.connect', { host: '127.0.0.1', port: 1.5 }),
    problemOf('tcp.connect', { host: '', port: 7 }),
    problemOf('tcp.connect', { host: 'a b', port: 7 }),
    problemOf('tcp.connect', { host: 'a..b', port: 7 }),
    problemOf('tcp.connect', { host: 'h', port: 7, localAddress: '1.2.3' }),
    problemOf('tcp.connect', { host: 'h', port: 7, connectTimeoutMs: 5 }),
    problemOf('tcp.connect', { host: 'h', port: 7, family: 'ipx' }),
    problemOf('session.repeat', {
      sessionId: 's',
      payload: { format: 'text', text: 'x' },
      intervalMs: 0,
    }),
    problemOf('session.repeat', {
      sessionId: 's',
      payload: { format: 'text', text: 'x' },
      intervalMs: 10,
      count: -1,
    }),
    problemOf('services.byPort', { port: 70000, protocol: 'tcp' }),
    problemOf('services.byName', { name: '-x', protocol: 'tcp' }),
    problemOf('lookup.address', { address: '127.0.0.1', call: 'getnameinfo' }),
    problemOf('lookup.dns', { name: 'x', server: 'dns.example' }),
    problemOf('log.setBudget', { budgetBytes: 10 }),
    payloadProblem('hex', '68 6g')!,
    payloadProblem('hex', '686')!,
    payloadProblem('hex', '0x')!,
    payloadProblem('text', 'a\\')!,
    payloadProblem('text', '\\x4')!,
    payloadProblem('text', '\\q')!,
    payloadProblem('base64', 'a*==')!,
    payloadProblem('base64', 'aGk=x')!,
    patternProblem('regex', 'ab\\qc')!,
    patternProblem('regex', 'a(b')!,
  ];

  it.each(problems)('words "%s"', (problem) => {
    const zh = problemText(problem, engineZh);
    expect(hasChinese(zh), zh).toBe(true);
    expect(problemText(problem, engineEn)).toBe(problem);
  });

  it('keeps the position a codec problem names', () => {
    expect(problemText(payloadProblem('hex', '68 6g')!, engineZh)).toBe(
      '第 5 个字符 "g" 不是十六进制数字',
    );
    expect(parseHex('68 6g')).toMatchObject({ position: 5 });
    expect(parseBase64('a*==')).toMatchObject({ position: 2 });
  });

  it("keeps a bad regex's position in Chinese", () => {
    expect(problemText(patternProblem('regex', 'ab\\qc')!, engineZh)).toBe(
      '不是有效的正则表达式（第 4 个字符处）：Invalid escape',
    );
  });

  it('leaves a problem it does not know as the engine said it', () => {
    expect(problemText('something new', engineZh)).toBe('something new');
  });
});

describe('errors and log events of a real engine, worded in both languages', () => {
  let engine: Engine;
  let echo: TestPeer;

  beforeAll(async () => {
    engine = await Engine.start({ transport: 'web', version: 'test' });
    echo = await startPeer();
  });
  afterAll(async () => {
    await engine.close();
    await echo.close();
  });

  it('words a refused connect from its code and details', async () => {
    const session = await call(engine, 'tcp.connect', {
      host: '127.0.0.1',
      port: await freePort(),
    });
    const error = session.lastError!;
    const where = `127.0.0.1:${session.target.port}`;
    expect(errorText(error, engineEn)).toBe(error.message);
    expect(error.message).toContain(`Connection to ${where} refused: nothing is listening there`);
    expect(errorText(error, engineZh)).toBe(`连接 ${where} 被拒绝：该端口没有程序在监听`);
  });

  it('words refused arguments with the field label and the problem in the language', async () => {
    const refused = await refusalOf(call(engine, 'tcp.connect', { host: 'h', port: 0 }));
    expect(errorText(refused, engineZh, { port: '端口' })).toBe(
      '输入无效：端口：必须在 1 到 65535 之间',
    );
  });

  it('words a not-connected send with the state in the language', async () => {
    const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: echo.port });
    await call(engine, 'session.close', { sessionId: session.id });
    const refused = await refusalOf(
      call(engine, 'session.send', {
        sessionId: session.id,
        payload: { format: 'text', text: 'x' },
      }),
    );
    expect(errorText(refused, engineZh)).toBe(`127.0.0.1:${echo.port} 当前已关闭，无法执行此操作`);
  });

  it('words every event a session logs, with no English left in Chinese', async () => {
    const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: echo.port });
    await call(engine, 'session.shutdown', { sessionId: session.id });
    await call(engine, 'session.close', { sessionId: session.id });
    const failed = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: await freePort() });
    const events = [...engine.log.iterate(session.id), ...engine.log.iterate(failed.id)].filter(
      (record) => record.direction === 'event',
    );
    expect(events.map((record) => record.event)).toEqual([
      'connecting',
      'connected',
      'half-closed',
      'closed',
      'connecting',
      'error',
      'closed',
    ]);
    for (const record of events) {
      expect(eventText(record, engineEn)).toBe(record.message);
      const zh = eventText(record, engineZh);
      expect(hasChinese(zh), zh).toBe(true);
    }
  });

  it('keeps the listening notes (IPv6 only, dual-stack, port granted by the OS) in Chinese', async () => {
    const only6 = await call(engine, 'tcp.listen', { host: '::', port: 0, ipv6Only: true });
    const dual = await call(engine, 'tcp.listen', { host: '::', port: 0 });
    const fixed = await call(engine, 'tcp.listen', { host: '127.0.0.1', port: await freePort() });
    const listening = (sessionId: string) =>
      [...engine.log.iterate(sessionId)].find((record) => record.event === 'listening')!;
    try {
      const granted = only6.local!.port;
      expect(listening(only6.id).message).toContain(
        `(IPv6 only) (port ${granted} granted by the OS)`,
      );
      expect(eventText(listening(only6.id), engineZh)).toBe(
        `正在监听 [::]:${granted}（仅 IPv6）（端口 ${granted} 由系统分配），backlog 511，模式：交互`,
      );
      expect(eventText(listening(dual.id), engineZh)).toContain('（IPv6 与 IPv4）（端口 ');
      const plain = eventText(listening(fixed.id), engineZh);
      expect(plain).toBe(`正在监听 127.0.0.1:${fixed.local!.port}，backlog 511，模式：交互`);
    } finally {
      for (const server of [only6, dual, fixed])
        await call(engine, 'session.remove', { sessionId: server.id });
    }
  });

  it('words every event and send refusal of a UDP socket, with no English left in Chinese', async () => {
    const socket = await call(engine, 'udp.bind', { localAddress: '127.0.0.1', localPort: 0 });
    const text = { format: 'text' as const, text: 'x' };
    const refusals = [
      await refusalOf(call(engine, 'session.send', { sessionId: socket.id, payload: text })),
      await refusalOf(
        call(engine, 'session.send', {
          sessionId: socket.id,
          payload: text,
          to: { host: '255.255.255.255', port: 9 },
        }),
      ),
      await refusalOf(
        call(engine, 'session.send', {
          sessionId: socket.id,
          payload: { format: 'base64', text: Buffer.alloc(65_508).toString('base64') },
          to: { host: '127.0.0.1', port: echo.port },
        }),
      ),
      await refusalOf(call(engine, 'udp.leave', { sessionId: socket.id, group: '239.1.2.3' })),
    ];
    expect(refusals.map((error) => error.code)).toEqual([
      'ERR_SOCKET_NO_DESTINATION',
      'ERR_SOCKET_PERMISSION_DENIED',
      'ERR_SOCKET_MESSAGE_TOO_LONG',
      'ERR_MULTICAST_FAILED',
    ]);
    for (const error of refusals) {
      expect(errorText(error, engineEn)).toBe(error.message);
      const zh = errorText(error, engineZh);
      expect(zh).not.toBe(error.message);
      expect(hasChinese(zh), zh).toBe(true);
    }
    expect(errorText(refusals[1]!, engineZh)).toContain('255.255.255.255:9');
    expect(errorText(refusals[2]!, engineZh)).toContain('65508');

    await call(engine, 'udp.connect', { sessionId: socket.id, host: '127.0.0.1', port: echo.port });
    await call(engine, 'udp.disconnect', { sessionId: socket.id });
    await call(engine, 'udp.setOptions', { sessionId: socket.id, ttl: 32 });
    await call(engine, 'session.close', { sessionId: socket.id });
    const events = [...engine.log.iterate(socket.id)].filter(
      (record) => record.direction === 'event',
    );
    expect(events.map((record) => record.event)).toEqual([
      'info',
      'connected',
      'info',
      'info',
      'closed',
    ]);
    for (const record of events) {
      expect(eventText(record, engineEn)).toBe(record.message);
      const zh = eventText(record, engineZh);
      expect(hasChinese(zh), zh).toBe(true);
    }
  });

  it('words a reply rule stopped by its loop limit, with no English left in Chinese', async () => {
    const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: echo.port });
    // The echo peer sends each reply back: the rule answers itself until its limit stops it.
    await call(engine, 'session.rules', {
      sessionId: session.id,
      rules: [
        {
          name: 'loop',
          match: { kind: 'contains', value: 'x' },
          reply: { format: 'text', text: 'x' },
          maxPerSecond: 5,
        },
      ],
    });
    await call(engine, 'session.send', {
      sessionId: session.id,
      payload: { format: 'text', text: 'x' },
    });
    const stopped = await eventually(() => {
      const found = [...engine.log.iterate(session.id)].find(
        (record) => record.event === 'info' && record.params?.what === 'rule-stopped',
      );
      if (found === undefined) throw new Error('the rule has not stopped');
      return found;
    });
    expect(stopped.params).toEqual({ what: 'rule-stopped', rule: 'loop', limit: 5 });
    expect(eventText(stopped, engineEn)).toBe(stopped.message);
    expect(eventText(stopped, engineZh)).toBe(
      '规则“loop”已停止：一秒内应答超过 5 次（是否在应答自己的应答？）',
    );
    await call(engine, 'session.remove', { sessionId: session.id });
  });

  it("words a server's FINs (Disconnect, an answer given, the idle kick) in both languages", async () => {
    const server = await call(engine, 'tcp.listen', {
      host: '127.0.0.1',
      port: 0,
      mode: 'request-answer',
      answer: { format: 'text', text: 'ok' },
    });
    const port = server.local!.port;
    const open = async (): Promise<Socket> => {
      const client = connect(port, '127.0.0.1');
      client.on('data', () => {});
      client.on('error', () => {});
      await new Promise((resolve) => client.once('connect', resolve));
      return client;
    };
    const answered = await open();
    answered.write('hello\n');
    const finOf = (by: string) =>
      eventually(() => {
        const found = [...engine.log.iterate()].find(
          (record) => record.event === 'half-closed' && record.params?.by === by,
        );
        if (found === undefined) throw new Error(`no FIN by ${by} yet`);
        return found;
      }, 10_000);
    const byAnswer = await finOf('answered');

    await call(engine, 'tcp.server.configure', { sessionId: server.id, mode: 'interactive' });
    const kept = await open();
    await eventually(async () => {
      const info = await call(engine, 'session.info', { sessionId: server.id });
      expect(info.kind === 'tcp-server' && info.clientsNow).toBeGreaterThanOrEqual(1);
    });
    await call(engine, 'tcp.server.disconnect', { sessionId: server.id, peers: 'all' });
    const byDisconnect = await finOf('disconnect');

    await call(engine, 'tcp.server.configure', { sessionId: server.id, idleKickSeconds: 1 });
    const idle = await open();
    const byKick = await finOf('idle-kick');

    const chinese = {
      answered: '已应答：已发送 FIN（一问一答）',
      disconnect: '已主动断开：已发送 FIN',
      'idle-kick': '空闲踢出：已发送 FIN',
    };
    for (const record of [byAnswer, byDisconnect, byKick]) {
      expect(eventText(record, engineEn)).toBe(record.message);
      expect(eventText(record, engineZh)).toBe(chinese[record.params!.by as keyof typeof chinese]);
    }
    for (const client of [answered, kept, idle]) client.destroy();
    await call(engine, 'session.remove', { sessionId: server.id });
  });

  it("words a server's answered requests (each way a request ends) and behaviour changes in both languages", async () => {
    const server = await call(engine, 'tcp.listen', {
      host: '127.0.0.1',
      port: 0,
      mode: 'request-answer',
      answer: { format: 'text', text: 'ok' },
    });
    const port = server.local!.port;
    const clients: Socket[] = [];
    const request = async (bytes: string, end = false) => {
      const client = connect(port, '127.0.0.1');
      clients.push(client);
      client.on('data', () => {});
      client.on('error', () => {});
      await new Promise((resolve) => client.once('connect', resolve));
      client.write(bytes);
      if (end) client.end();
    };
    const requestEvents = () =>
      [...engine.log.iterate()].filter(
        (record) => record.event === 'info' && String(record.params?.what).startsWith('request-'),
      );
    // Earlier tests' servers answered requests too: count from here.
    const before = requestEvents().length;
    const nth = (count: number) =>
      eventually(() => {
        const found = requestEvents();
        expect(found).toHaveLength(before + count);
        return found.at(-1)!;
      }, 10_000);

    await request('hello\n');
    const byLine = await nth(1);
    await call(engine, 'tcp.server.configure', {
      sessionId: server.id,
      requestEnd: { by: 'bytes', count: 4 },
      idleKickSeconds: 30,
      maxClients: 5,
    });
    await request('abcd');
    const byBytes = await nth(2);
    await call(engine, 'tcp.server.configure', {
      sessionId: server.id,
      requestEnd: { by: 'quiet', ms: 50 },
      answer: null,
    });
    await request('xyz');
    const byQuiet = await nth(3);
    await call(engine, 'tcp.server.configure', {
      sessionId: server.id,
      requestEnd: { by: 'bytes', count: 100 },
      mode: 'echo',
      idleKickSeconds: 0,
      maxClients: 0,
    });
    await call(engine, 'tcp.server.configure', { sessionId: server.id, mode: 'request-answer' });
    await request('cut', true);
    const byFin = await nth(4);

    const chinese = [
      [byLine, '请求接收完毕（6 字节，收到换行）：已应答 2 字节，正在关闭'],
      [byBytes, '请求接收完毕（4 字节，满 4 字节）：已应答 2 字节，正在关闭'],
      [byQuiet, '请求接收完毕（3 字节，静默 50 毫秒）：未设置应答，正在关闭'],
      [byFin, '请求接收完毕（3 字节，客户端发送 FIN）：未设置应答，正在关闭'],
    ] as const;
    for (const [record, zh] of chinese) {
      expect(eventText(record, engineEn)).toBe(record.message);
      expect(eventText(record, engineZh)).toBe(zh);
    }
    expect(byLine.message).toBe(
      'Request of 6 bytes complete (a line ending): answered 2 bytes; closing',
    );

    const changes = [...engine.log.iterate(server.id)].filter(
      (record) => record.params?.what === 'behaviour',
    );
    expect(changes.map((record) => record.message)).toEqual([
      'Now: idle kick after 30 s, at most 5 clients',
      'Now: mode echo, no idle kick, no client limit',
      'Now: mode one request, one answer',
    ]);
    expect(changes.map((record) => eventText(record, engineEn))).toEqual(
      changes.map((record) => record.message),
    );
    expect(changes.map((record) => eventText(record, engineZh))).toEqual([
      '已更改：空闲 30 秒后踢出，最多 5 个客户端',
      '已更改：模式：回显，不做空闲踢出，不限客户端数',
      '已更改：模式：一问一答',
    ]);
    for (const client of clients) client.destroy();
    await call(engine, 'session.remove', { sessionId: server.id });
  });

  it('words a missing record and a notice from their codes', async () => {
    const missing = await refusalOf(call(engine, 'log.read', { id: 999_999 }));
    expect(errorText(missing, engineZh)).toBe('没有 ID 为 999999 的记录');
    const filter = new LaggingPageFilter(10);
    const [record] = engine.log.iterate();
    const preview = { ...record!, bytes: undefined, preview: '', truncated: false };
    filter.filter({ seq: 1, events: [{ type: 'log.records', records: [preview] }] }, 100, 1);
    const notice = filter.filter({ seq: 2, events: [] }, 0, 2).events[0]!;
    if (notice.type !== 'notice') throw new Error('no notice');
    expect(noticeText(notice, engineEn)).toBe(notice.message);
    expect(hasChinese(noticeText(notice, engineZh))).toBe(true);
  });
});
