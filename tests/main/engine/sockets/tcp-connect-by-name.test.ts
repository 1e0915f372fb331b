import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@shared/errors';
import { Engine } from '../../../../src/main/engine';
import { call, tcpClientInfo } from '../../../support/engine-calls';
import { startPeer } from '../../../support/peers';
import type { TestPeer } from '../../../support/peers';

describe('a TCP connect by host name', () => {
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

  it('looks the name up first and says what it found, then connects', async () => {
    const session = await call(engine, 'tcp.connect', {
      host: 'localhost',
      port: echo.port,
      family: 'ipv4',
    });
    expect(session.state).toBe('connected');
    const words = [...engine.log.iterate(session.id)].map((record) => record.message ?? '');
    expect(words).toContainEqual(
      expect.stringMatching(/^Looked up localhost: 127\.0\.0\.1 \(\d+ ms\)$/),
    );
    await call(engine, 'session.remove', { sessionId: session.id });
  });

  it('times the lookup apart from the connect and says which took too long', async () => {
    // Host lookups run on the runtime's small thread pool: FIFOs that nobody writes
    // hold every thread in open(), so the lookup waits as it does behind slow lookups.
    const directory = mkdtempSync(join(tmpdir(), 'sockscope-fifo-'));
    const fifos = Array.from({ length: 8 }, (_, index) => join(directory, `f${index}`));
    execFileSync('mkfifo', fifos);
    const blocked: Promise<FileHandle>[] = fifos.map((path) => open(path, 'r'));
    try {
      const session = await call(engine, 'tcp.connect', {
        host: 'localhost',
        port: echo.port,
        connectTimeoutMs: 300,
      });
      expect(session.state).toBe('failed');
      const info = await tcpClientInfo(engine, session.id);
      expect(info.lastError).toMatchObject({
        code: ErrorCode.socketTimeout,
        message:
          'Looking up localhost took longer than 300 ms, so the connect was not tried (our own timeout; the lookup and the connect each get it) (ETIMEDOUT)',
        details: { phase: 'lookup' },
      });
      await call(engine, 'session.remove', { sessionId: session.id });
    } finally {
      // Opened read-write, a FIFO counts as having a writer without waiting (Linux), so each
      // blocked open() returns, and so do the ones still queued behind the pool's threads
      // (a non-blocking write-only open fails with ENXIO until their reader has started).
      const writers = fifos.map((path) => openSync(path, constants.O_RDWR));
      for (const handle of await Promise.all(blocked)) await handle.close();
      for (const writer of writers) closeSync(writer);
    }
  }, 30_000);

  it('a close while looking up ends the attempt at once, closed by us', async () => {
    // As with a close while the socket connects, the attempt ends failed; the log says by whom.
    const connecting = call(engine, 'tcp.connect', { host: 'localhost', port: echo.port });
    const [listed] = await call(engine, 'session.list', {});
    // The lookup answers on a later turn of the event loop: the session is still looking up.
    expect(listed?.state).toBe('connecting');
    await call(engine, 'session.close', { sessionId: listed!.id });
    const info = await tcpClientInfo(engine, listed!.id);
    expect(info.state).toBe('failed');
    const words = [...engine.log.iterate(listed!.id)].map((record) => record.message);
    expect(words.at(-1)).toBe('Closed by us');
    const session = await connecting;
    // The lookup's answer came after the close: no connect was tried.
    expect(session.state).toBe('failed');
    expect(session.remote).toBeNull();
    await call(engine, 'session.remove', { sessionId: session.id });
  });
});
