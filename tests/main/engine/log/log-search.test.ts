import { describe, expect, it } from 'vitest';
import { Engine } from '../../../../src/main/engine';
import { LogStore } from '../../../../src/main/engine/log/log-store';
import { searchBytesPerCall, searchLog } from '../../../../src/main/engine/log/log-search';
import { call } from '../../../support/engine-calls';

function store(): LogStore {
  const log = new LogStore(1024 * 1024);
  const base = {
    atUs: 1,
    sessionId: 's',
    transport: 'tcp' as const,
    local: null,
    remote: null,
    params: null,
    charset: null,
  };
  const long = Buffer.concat([
    Buffer.alloc(600, 0x41),
    Buffer.from('NEEDLE\r\n'),
    Buffer.alloc(100, 0x42),
  ]);
  log.append({
    ...base,
    direction: 'in',
    size: long.length,
    event: null,
    message: null,
    bytes: long,
  });
  const gbk = Buffer.from('c4e3bac3', 'hex');
  log.append({ ...base, direction: 'out', size: 4, event: null, message: null, bytes: gbk });
  // The same bytes, filed with the charset its session sent text in.
  log.append({
    ...base,
    charset: 'gbk',
    direction: 'in',
    size: 4,
    event: null,
    message: null,
    bytes: gbk,
  });
  log.append({
    ...base,
    direction: 'event',
    size: 0,
    event: 'closed',
    message: 'Closed by the peer',
    bytes: new Uint8Array(0),
  });
  return log;
}

describe('searching the full bytes of records', () => {
  it('finds text past the preview, case-insensitively, as the log displays it', async () => {
    expect(
      await searchLog(store(), {
        ids: [1, 2, 3],
        query: 'needle\\r\\n',
        mode: 'text',
        charset: 'utf-8',
      }),
    ).toEqual({ matches: [1], searched: expect.any(Number) });
    expect(
      await searchLog(store(), { ids: [1, 2, 3], query: '你好', mode: 'text', charset: 'gbk' }),
    ).toEqual({ matches: [2, 3], searched: 3 });
    expect(
      await searchLog(store(), {
        ids: [1, 2, 3, 4],
        query: 'by the PEER',
        mode: 'text',
        charset: 'utf-8',
      }),
    ).toEqual({ matches: [4], searched: 4 });
  });

  it('reads each record in its own charset under "auto"', async () => {
    const ids = [1, 2, 3, 4];
    expect(await searchLog(store(), { ids, query: '你好', mode: 'text', charset: 'auto' })).toEqual(
      { matches: [3], searched: 4 },
    );
    expect(await searchLog(store(), { ids, query: '你好', mode: 'text', charset: 'gbk' })).toEqual({
      matches: [2, 3],
      searched: 4,
    });
  });

  it('finds bytes as hex, and skips ids it no longer holds', async () => {
    expect(
      await searchLog(store(), {
        ids: [1, 2, 3, 99],
        query: '4e 45 45 44',
        mode: 'hex',
        charset: 'utf-8',
      }),
    ).toEqual({ matches: [1], searched: expect.any(Number) });
    expect(
      await searchLog(store(), { ids: [2], query: 'c4e3', mode: 'hex', charset: 'utf-8' }),
    ).toEqual({ matches: [2], searched: 1 });
  });

  it('is refused at the boundary with bad hex, naming the field and position', async () => {
    const engine = await Engine.start({ transport: 'web', version: 'test' });
    await expect(
      call(engine, 'log.search', { ids: [1], query: '4g', mode: 'hex' }),
    ).rejects.toThrow(/query: "g" at position 2/);
    expect(await call(engine, 'log.search', { ids: [1], query: 'x', mode: 'text' })).toEqual({
      matches: [],
      searched: 1,
    });
    await expect(
      call(engine, 'log.search', { ids: [1, 2, 1], query: 'x', mode: 'text' }),
    ).rejects.toThrow('Invalid arguments for log.search: ids: must not name the same record twice');
    await engine.close();
  });

  it('searches at most its byte cap per call and says how far it got', async () => {
    const log = new LogStore(512 * 1024 * 1024);
    const record = Buffer.alloc(8 * 1024 * 1024, 0x61);
    for (let index = 0; index < 12; index++)
      log.append({
        atUs: 1,
        sessionId: 's',
        transport: 'tcp',
        local: null,
        remote: null,
        direction: 'in',
        size: record.length,
        event: null,
        message: null,
        params: null,
        charset: null,
        bytes: record,
      });
    const ids = Array.from({ length: 12 }, (_, index) => index + 1);
    const first = await searchLog(log, { ids, query: 'aab', mode: 'text', charset: 'utf-8' });
    expect(first).toEqual({ matches: [], searched: searchBytesPerCall / record.length });
    const rest = await searchLog(log, {
      ids: ids.slice(first.searched),
      query: 'aaa',
      mode: 'text',
      charset: 'utf-8',
    });
    expect(rest).toEqual({ matches: ids.slice(first.searched), searched: 12 - first.searched });
  });
});
