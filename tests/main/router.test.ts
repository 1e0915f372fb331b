import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/main/engine';
import { dispatch } from '../../src/main/router';

describe('router', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await Engine.start({ transport: 'web', version: '0.0.0-test' });
  });
  afterAll(async () => engine.close());

  it('runs a known command with defaults filled at the boundary', async () => {
    const envelope = await dispatch(engine, 'lookup.host', { host: 'localhost' });
    expect(envelope.ok).toBe(true);
    if (!envelope.ok) return;
    expect(envelope.result).toMatchObject({ call: 'getaddrinfo', host: 'localhost' });
  });

  it('refuses an unknown command by name', async () => {
    const envelope = await dispatch(engine, 'fs.readFile', { path: '/etc/passwd' });
    expect(envelope).toEqual({
      ok: false,
      error: { code: 'ERR_UNKNOWN_COMMAND', message: 'Unknown command: fs.readFile' },
    });
    expect(await dispatch(engine, 42, {})).toMatchObject({
      ok: false,
      error: { code: 'ERR_UNKNOWN_COMMAND' },
    });
  });

  it('names the field and the problem when arguments are bad', async () => {
    const empty = await dispatch(engine, 'lookup.host', { host: '' });
    expect(empty).toMatchObject({
      ok: false,
      error: {
        code: 'ERR_INVALID_ARGS',
        message: 'Invalid arguments for lookup.host: host: must not be empty',
        details: {
          command: 'lookup.host',
          fields: ['host'],
          field: 'host',
          problem: 'must not be empty',
        },
      },
    });
    const port = await dispatch(engine, 'services.byPort', { port: 70000, protocol: 'tcp' });
    expect(port).toMatchObject({
      ok: false,
      error: { message: 'Invalid arguments for services.byPort: port: must be from 0 to 65535' },
    });
    const server = await dispatch(engine, 'lookup.dns', { name: 'a.test', server: 'nope:53' });
    expect(server).toMatchObject({ ok: false, error: { code: 'ERR_INVALID_ARGS' } });
    if (!server.ok) expect(server.error.message).toContain('server: "nope" is not an IP address');
    const edns = await dispatch(engine, 'lookup.dns', {
      name: 'a.test',
      ednsBufferSize: 100,
      retries: -1,
      transport: 'quic',
    });
    expect(edns).toMatchObject({
      ok: false,
      error: {
        message:
          'Invalid arguments for lookup.dns: retries: must be from 0 to 10; transport: must be udp or tcp; ednsBufferSize: must be 0 (no EDNS) or from 512 to 65535',
        details: { fields: ['retries', 'transport', 'ednsBufferSize'] },
      },
    });
    const noEdns = await dispatch(engine, 'lookup.dns', {
      name: 'a.test',
      ednsBufferSize: 0,
      dnssecOk: true,
    });
    expect(noEdns).toMatchObject({ ok: false, error: { details: { fields: ['dnssecOk'] } } });
  });

  it("lists the system's DNS servers", async () => {
    const envelope = await dispatch(engine, 'lookup.dnsServers', {});
    expect(envelope).toMatchObject({ ok: true, result: { source: expect.any(String) } });
  });

  it('survives arguments of the wrong shape entirely', async () => {
    for (const args of [null, 'localhost', [1, 2], { host: { toString: 1 } }, 17]) {
      const envelope = await dispatch(engine, 'lookup.host', args);
      expect(envelope.ok).toBe(false);
    }
    // The engine is still serving afterwards.
    expect((await dispatch(engine, 'app.info', {})).ok).toBe(true);
  });

  it('turns engine failures into coded envelopes, not exceptions', async () => {
    const envelope = await dispatch(engine, 'services.byName', {
      name: 'no-such-service-xyz',
      protocol: 'tcp',
    });
    expect(envelope).toMatchObject({ ok: false, error: { code: 'ERR_SERVICE_NOT_FOUND' } });
  });

  it('refuses every call once the engine has shut down', async () => {
    const closing = await Engine.start({ transport: 'web', version: '0' });
    await closing.close();
    expect(await dispatch(closing, 'app.info', {})).toMatchObject({
      ok: false,
      error: { code: 'ERR_ENGINE_CLOSED' },
    });
  });
});
