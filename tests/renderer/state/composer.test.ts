import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/main/engine';
import { ComposerState } from '../../../src/renderer/src/state/composer.svelte';
import { createEngineEvents } from '../../../src/renderer/src/state/events';
import { SessionsState } from '../../../src/renderer/src/state/sessions.svelte';
import { SettingsState } from '../../../src/renderer/src/state/settings.svelte';
import { call, eventually } from '../../support/engine-calls';
import { inProcessApi } from '../../support/in-process-api';
import { startPeer } from '../../support/peers';
import { expectReceived, fillQueue } from '../../support/write-queue';
import type { TestPeer } from '../../support/peers';

describe('composer state against a real engine in-process', () => {
  let engine: Engine;
  let sink: TestPeer;
  let sessions: SessionsState;
  let composer: ComposerState;

  beforeAll(async () => {
    engine = await Engine.start({ transport: 'web', version: 'test' });
    // A peer that only listens, so what it received is exactly what was sent.
    sink = await startPeer({ onConnection: () => {} });
    const api = inProcessApi(engine);
    const events = createEngineEvents(api);
    sessions = new SessionsState(api, events);
    const settings = new SettingsState(api, events);
    composer = new ComposerState(api, sessions, settings);
    events.start();
    await settings.load();
  });
  afterAll(async () => {
    await engine.close();
    await sink.close();
  });

  async function connectedSession(): Promise<{ id: string; received: () => string }> {
    const index = sink.connections.length;
    const session = await sessions.connect({ host: '127.0.0.1', port: sink.port });
    expect(session?.state).toBe('connected');
    await eventually(() => expect(sink.connections.length).toBe(index + 1));
    return {
      id: session!.id,
      received: () => Buffer.concat(sink.received[index] ?? []).toString('hex'),
    };
  }

  it('keeps a draft, format and charset per session', async () => {
    const first = await connectedSession();
    const second = await connectedSession();
    composer.of(first.id).format = 'hex';
    composer.of(first.id).text = '01 02';
    composer.of(second.id).charset = 'gbk';
    composer.of(second.id).text = '你好';
    expect(composer.of(first.id)).toMatchObject({ format: 'hex', text: '01 02', charset: 'utf-8' });
    expect(composer.of(second.id)).toMatchObject({ format: 'text', text: '你好', charset: 'gbk' });
  });

  it('sends hex as exactly its bytes with the line-ending switch on; text gets the ending', async () => {
    const session = await connectedSession();
    const draft = composer.of(session.id);
    draft.appendLineEnding = true;
    draft.lineEnding = 'crlf';
    draft.format = 'hex';
    draft.text = '01 03 00 00 00 0A C5 CD';
    expect(draft.payload().lineEnding).toBe('none');
    expect(await composer.send(session.id)).toBe(true);
    await eventually(() => expect(session.received()).toBe('01030000000ac5cd'));
    draft.format = 'text';
    draft.charset = 'gbk';
    draft.text = '你好';
    expect(await composer.send(session.id)).toBe(true);
    await eventually(() =>
      expect(session.received()).toBe('01030000000ac5cd' + 'c4e3bac3' + '0d0a'),
    );
  });

  it('refuses bad hex in the state, naming the field and position, and sends nothing', async () => {
    const session = await connectedSession();
    const draft = composer.of(session.id);
    draft.format = 'hex';
    draft.text = '68 6g';
    expect(await composer.send(session.id)).toBe(false);
    expect(draft.failure).toMatchObject({ code: 'ERR_INVALID_ARGS', field: 'payload.text' });
    expect(draft.failure?.message).toContain('position 5');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(session.received()).toBe('');
  });

  it('words an engine refusal it could not foresee (a character the charset lacks)', async () => {
    const session = await connectedSession();
    const draft = composer.of(session.id);
    draft.charset = 'latin1';
    draft.text = 'a中';
    expect(await composer.send(session.id)).toBe(false);
    expect(draft.failure).toMatchObject({
      code: 'ERR_INVALID_ARGS',
      field: null,
      details: { character: '中', position: 2, charset: 'latin1' },
    });
  });

  it('timed send repeats until stopped, and the session shows it', async () => {
    const session = await connectedSession();
    const draft = composer.of(session.id);
    draft.text = 'x';
    draft.everyMs = '20';
    draft.times = '0';
    expect(await composer.startTimed(session.id)).toBe(true);
    expect(sessions.byId[session.id]?.repeat).toMatchObject({ intervalMs: 20, total: 0 });
    await eventually(() => expect(session.received().length).toBeGreaterThanOrEqual(6));
    await composer.stopTimed(session.id);
    expect(sessions.byId[session.id]?.repeat).toBeNull();
    // A send already written when the timer stopped may still be on its way.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const after = session.received();
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(session.received()).toBe(after);
    draft.everyMs = '0';
    expect(await composer.startTimed(session.id)).toBe(false);
    expect(draft.failure).toMatchObject({ field: 'intervalMs', message: 'must be at least 1 ms' });
  });

  it('recalls sent payloads with their format, charset and line ending', async () => {
    const session = await connectedSession();
    const draft = composer.of(session.id);
    draft.format = 'text';
    draft.charset = 'gbk';
    draft.appendLineEnding = true;
    draft.lineEnding = 'lf';
    draft.text = 'recall-me';
    await composer.send(session.id);
    draft.text = 'typing';
    draft.appendLineEnding = false;
    expect(composer.recall(session.id, 1)).toBe(true);
    expect(draft).toMatchObject({ text: 'recall-me', charset: 'gbk', appendLineEnding: true });
    expect(draft.lineEnding).toBe('lf');
    expect(composer.recall(session.id, -1)).toBe(true);
    expect(draft).toMatchObject({ text: 'typing', appendLineEnding: false });
  });
  it("sends a UDP socket's draft to its destination, and a file as datagrams of the chosen size", async () => {
    const receiver = createSocket('udp4');
    const datagrams: Buffer[] = [];
    receiver.on('message', (message) => datagrams.push(message));
    await new Promise<void>((resolve) => receiver.bind(0, '127.0.0.1', resolve));
    try {
      const socket = await call(engine, 'udp.bind', { localAddress: '127.0.0.1', localPort: 0 });
      sessions.upsert(socket);
      const to = { host: '127.0.0.1', port: receiver.address().port };
      const draft = composer.of(socket.id);
      draft.format = 'hex';
      draft.text = '01 02 03';
      // No destination and no default peer: the engine's refusal lands in the composer.
      expect(await composer.send(socket.id)).toBe(false);
      expect(draft.failure?.code).toBe('ERR_SOCKET_NO_DESTINATION');
      expect(await composer.send(socket.id, { to })).toBe(true);
      expect(draft.failure).toBeNull();
      await eventually(() => expect(datagrams.map((d) => d.toString('hex'))).toEqual(['010203']));

      const file = new File([Buffer.alloc(2500, 7)], 'blob.bin');
      // A datagram size the contract refuses is caught before any byte goes.
      expect(
        await composer.sendFile(socket.id, file, {
          to,
          datagrams: { datagramBytes: 0, pacingMs: 0 },
        }),
      ).toBe(false);
      expect(draft.failure?.field).toBe('datagramBytes');
      expect(datagrams).toHaveLength(1);
      expect(
        await composer.sendFile(socket.id, file, {
          to,
          datagrams: { datagramBytes: 1000, pacingMs: 1 },
        }),
      ).toBe(true);
      expect(composer.file).toMatchObject({ sent: 2500, done: true, error: null });
      await eventually(() =>
        expect(datagrams.slice(1).map((d) => d.byteLength)).toEqual([1000, 1000, 500]),
      );
    } finally {
      receiver.close();
    }
  });

  it('a file pauses at a full send queue, says it waits, and a cancel calls off the waiting piece', async () => {
    const silent = await startPeer({ onConnection: (socket) => socket.pause() });
    try {
      const session = await sessions.connect({ host: '127.0.0.1', port: silent.port });
      const backlog = await fillQueue(engine, { sessionId: session!.id });
      const file = new File([Buffer.alloc(200_000, 0xab)], 'big.bin');
      const sending = composer.sendFile(session!.id, file);
      await eventually(() => expect(composer.file).toMatchObject({ sent: 0, waiting: true }));

      composer.cancelFile();
      expect(await sending).toBe(true);
      expect(composer.file).toMatchObject({ sent: 0, cancelled: true, error: null, done: false });
      expect(await call(engine, 'session.cancelWaitingSends', { sessionId: session!.id })).toEqual({
        cancelled: 0,
      });

      // Once the peer reads, what was queued arrives and nothing of the file.
      silent.connections.at(-1)!.resume();
      await backlog.sent;
      await expectReceived(() => silent.received.at(-1)!, Buffer.concat(backlog.accepted));
      await sessions.remove(session!.id);
    } finally {
      await silent.close();
    }
  }, 60_000);
});
