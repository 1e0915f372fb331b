import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../../src/main/engine';
import { call, eventually } from '../../../support/engine-calls';
import { exportFile } from '../../../support/export-file';
import { decodeIpPacket, readPcapng } from '../../../support/pcapng-reader';
import { startPeer } from '../../../support/peers';
import type { TestPeer } from '../../../support/peers';

const tsharkAvailable = spawnSync('tshark', ['-v']).status === 0;

describe('exporting real session traffic', () => {
  let engine: Engine;
  let echo: TestPeer;
  let sessionId: string;
  let localPort: number;

  beforeAll(async () => {
    engine = await Engine.start({ transport: 'web', version: 'test' });
    echo = await startPeer();
    const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: echo.port });
    sessionId = session.id;
    localPort = session.local!.port;
    await call(engine, 'session.send', {
      sessionId,
      payload: { format: 'text', text: 'hello\\r\\n' },
    });
    await call(engine, 'session.send', {
      sessionId,
      payload: { format: 'base64', text: Buffer.alloc(100 * 1024, 0xab).toString('base64') },
    });
    await eventually(async () =>
      expect((await call(engine, 'session.info', { sessionId })).stats.bytesIn).toBe(
        7 + 100 * 1024,
      ),
    );
    await call(engine, 'session.close', { sessionId });
  });
  afterAll(async () => {
    await engine.close();
    await echo.close();
  });

  it('writes a pcapng whose packets carry the session addresses, directions and times', async () => {
    const { created, data } = await exportFile(engine, 'pcapng', sessionId);
    expect(created.fileName).toMatch(/^sockscope-\d{8}-\d{6}\.pcapng$/);
    expect(data.length).toBe(created.size);
    const capture = readPcapng(data);
    const packets = capture.packets.map((packet) => ({
      ...decodeIpPacket(packet.data),
      flags: packet.flags,
      timestampUs: packet.timestampUs,
    }));
    const out = packets.filter((packet) => packet.flags === 2 && packet.payload.length > 0);
    const back = packets.filter((packet) => packet.flags === 1 && packet.payload.length > 0);
    expect(Buffer.concat(out.map((packet) => packet.payload)).length).toBe(7 + 100 * 1024);
    expect(Buffer.concat(back.map((packet) => packet.payload)).length).toBe(7 + 100 * 1024);
    for (const packet of out)
      expect(packet).toMatchObject({ srcPort: localPort, dstPort: echo.port, src: '127.0.0.1' });
    for (const packet of back)
      expect(packet).toMatchObject({ srcPort: echo.port, dstPort: localPort });
    const records = [...engine.log.iterate(sessionId)].filter((r) => r.direction === 'out');
    expect(out[0]!.timestampUs).toBe(records[0]!.atUs);
  });

  it.skipIf(!tsharkAvailable)('opens in tshark with the right conversation', async () => {
    const { data } = await exportFile(engine, 'pcapng', sessionId);
    const path = join(mkdtempSync(join(tmpdir(), 'sockscope-export-')), 'session.pcapng');
    writeFileSync(path, data);
    const fields = spawnSync(
      'tshark',
      [
        '-r',
        path,
        '-Y',
        'tcp.len > 0',
        '-T',
        'fields',
        '-e',
        'ip.src',
        '-e',
        'tcp.srcport',
        '-e',
        'tcp.dstport',
        '-e',
        'frame.packet_flags_direction',
      ],
      { encoding: 'utf8' },
    );
    expect(fields.status).toBe(0);
    const lines = fields.stdout.trim().split('\n');
    expect(lines[0]).toBe(`127.0.0.1\t${localPort}\t${echo.port}\t0x00000002`);
    expect(lines).toContain(`127.0.0.1\t${echo.port}\t${localPort}\t0x00000001`);
    const follow = spawnSync('tshark', ['-r', path, '-q', '-z', 'follow,tcp,raw,0'], {
      encoding: 'utf8',
    });
    expect(follow.stdout).toContain('68656c6c6f0d0a');
  });

  it('writes CSV and JSON Lines of the same records', async () => {
    const csv = (await exportFile(engine, 'csv', sessionId)).data.toString('utf8');
    expect(csv.split('\r\n')[0]).toContain('id,time,session,transport,direction');
    expect(csv).toContain('68656c6c6f0d0a');
    const lines = (await exportFile(engine, 'jsonl', sessionId)).data
      .toString('utf8')
      .trim()
      .split('\n');
    expect(lines.length).toBe([...engine.log.iterate(sessionId)].length);
  });

  it('exports only the records it is given by id (what the page shows), in log order', async () => {
    const held = [...engine.log.iterate(sessionId)].map((record) => record.id);
    const chosen = [held.at(-1)!, held[1]!];
    const created = await call(engine, 'log.export', { format: 'jsonl', ids: chosen });
    expect(created.records).toBe(2);
    const { data } = await exportFile(engine, 'jsonl');
    expect(data.toString('utf8').trim().split('\n')).toHaveLength(held.length);
    await expect(
      call(engine, 'log.export', { format: 'csv', ids: [1, -2] as number[] }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_ARGS', message: expect.stringContaining('ids') });
    await expect(
      call(engine, 'log.export', { format: 'csv', ids: 'all' as unknown as number[] }),
    ).rejects.toThrow('ids: must be a list of record ids');
  });

  it('says when an export id is unknown or already read', async () => {
    const { created } = await exportFile(engine, 'jsonl');
    await expect(
      call(engine, 'log.exportRead', { exportId: created.exportId, offset: 0, length: 10 }),
    ).rejects.toMatchObject({ code: 'ERR_EXPORT_NOT_FOUND' });
  });
});

if (!tsharkAvailable)
  console.log('tshark is not installed: its check is skipped; the in-test reader checks the file');
