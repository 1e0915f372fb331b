import { readFileSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeIpPacket, readPcapng } from '../tests/support/pcapng-reader';
import { freePort, startPeer } from '../tests/support/peers';
import type { TestPeer } from '../tests/support/peers';
import { expect, test } from './fixtures';
import type { Page } from '@playwright/test';

async function openTcpClient(app: Page): Promise<void> {
  await app.getByRole('navigation').getByRole('button', { name: 'TCP client' }).click();
  await expect(app.getByRole('heading', { name: 'TCP client' })).toBeVisible();
}

async function connectTo(app: Page, port: number, host = '127.0.0.1'): Promise<void> {
  await app.getByRole('tab', { name: /New connection/ }).click();
  await app.getByLabel('Host', { exact: true }).fill(host);
  await app.getByLabel('Port', { exact: true }).fill(String(port));
  await app.getByRole('button', { name: 'Connect', exact: true }).click();
}

test.describe('TCP client', () => {
  let echo: TestPeer;
  test.beforeAll(async () => {
    echo = await startPeer();
  });
  test.afterAll(async () => echo.close());

  test('connects, sends hello\\r\\n, and shows both records in text and hex', async ({
    app,
  }, testInfo) => {
    await openTcpClient(app);
    await connectTo(app, echo.port);
    await expect(app.getByRole('status', { name: 'Session state' })).toHaveText('Connected');

    // The info panel shows the addresses the peer itself sees.
    const info = app.getByRole('region', { name: 'Socket info' });
    await expect.poll(() => echo.connections.at(-1)?.remotePort).toBeGreaterThan(0);
    const seen = echo.connections.at(-1)!;
    await expect(info).toContainText(`127.0.0.1:${seen.remotePort}`);
    await expect(info).toContainText(`127.0.0.1:${echo.port}`);
    await expect(info).toContainText('SOCK_STREAM');

    await app.getByLabel('Payload', { exact: true }).fill('hello\\r\\n');
    await app.getByRole('button', { name: 'Send', exact: true }).click();

    const log = app.getByRole('region', { name: 'Packet log' });
    const rows = log.getByRole('row').filter({ hasText: 'hello\\r\\n' });
    await expect(rows).toHaveCount(2);
    await expect(rows.filter({ hasText: 'out' })).toHaveCount(1);
    await expect(rows.filter({ hasText: '← in' })).toHaveCount(1);

    const hexDisplay = log.getByRole('switch', { name: 'Hex display' });
    await log.getByText('Hex display', { exact: true }).click();
    await expect(hexDisplay).toBeChecked();
    await expect(log.getByText('68 65 6c 6c 6f 0d 0a').first()).toBeVisible();

    // Hex payloads and Ctrl+Enter.
    await app.getByLabel('Format').selectOption('hex');
    await app.getByLabel('Payload', { exact: true }).fill('0x01,0x02 ff');
    await app.getByLabel('Payload', { exact: true }).press('Control+Enter');
    await expect(log.getByText('01 02 ff').first()).toBeVisible();

    // A record opens into its full bytes.
    await log.getByRole('row').filter({ hasText: '01 02 ff' }).first().click();
    const detail = app.getByRole('region', { name: 'Record detail' });
    await expect(detail).toContainText('00000000  01 02 ff');

    const shots = join(import.meta.dirname, '..', 'test-results', 'screenshots');
    mkdirSync(shots, { recursive: true });
    const path = join(shots, `tcp-client-${testInfo.project.name}.png`);
    if (testInfo.project.name === 'web') await app.setViewportSize({ width: 1440, height: 1100 });
    await app.screenshot({ path, fullPage: true });
    await testInfo.attach('tcp client screen', { path, contentType: 'image/png' });
  });

  test('refuses bad hex in the form, naming the field and position', async ({ app }) => {
    await openTcpClient(app);
    await connectTo(app, echo.port);
    await expect(app.getByRole('status', { name: 'Session state' })).toHaveText('Connected');
    await app.getByLabel('Format').selectOption('hex');
    await app.getByLabel('Payload', { exact: true }).fill('68 6g');
    await app.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(app.getByRole('alert')).toContainText('Payload:');
    await expect(app.getByRole('alert')).toContainText('position 5');
  });

  test('filters by text and direction, and pauses without losing records', async ({ app }) => {
    await openTcpClient(app);
    await connectTo(app, echo.port);
    await expect(app.getByRole('status', { name: 'Session state' })).toHaveText('Connected');
    const log = app.getByRole('region', { name: 'Packet log' });
    const payload = app.getByLabel('Payload', { exact: true });
    // Each echo is on screen before the next word goes out, so no two echoes can share
    // one TCP segment (one "in" record) however the machine schedules the peer.
    for (const word of ['alpha', 'beta', 'gamma']) {
      await payload.fill(word);
      await payload.press('Control+Enter');
      await expect(log.getByRole('row').filter({ hasText: word })).toHaveCount(2);
    }

    await log.getByLabel('Filter', { exact: true }).fill('beta');
    await expect(log.getByRole('row').filter({ hasText: /alpha|gamma/ })).toHaveCount(0);
    await expect(log.getByRole('row').filter({ hasText: 'beta' })).toHaveCount(2);
    await log.getByLabel('Direction').selectOption('out');
    await expect(log.getByRole('row').filter({ hasText: 'beta' })).toHaveCount(1);
    await log.getByLabel('Direction').selectOption('');
    await log.getByLabel('Filter as').selectOption('hex');
    await log.getByLabel('Filter', { exact: true }).fill('67 61 6d');
    await expect(log.getByRole('row').filter({ hasText: /alpha|beta/ })).toHaveCount(0);
    await expect(log.getByRole('row').filter({ hasText: 'gamma' })).toHaveCount(2);
    await log.getByLabel('Filter', { exact: true }).fill('6g');
    await expect(log.getByRole('alert')).toContainText('Filter: "g" at position 2');
    await log.getByLabel('Filter as').selectOption('text');
    await log.getByLabel('Filter', { exact: true }).fill('');

    await log.getByRole('button', { name: 'Pause' }).click();
    // Paused, the held count shows each echo arriving (out + in per word) before the next.
    const paused = log.getByRole('status').filter({ hasText: 'Paused' });
    for (const [word, held] of [
      ['delta', '2 new records'],
      ['epsilon', '4 new records'],
    ] as const) {
      await payload.fill(word);
      await payload.press('Control+Enter');
      await expect(paused).toContainText(held);
    }
    await expect(log.getByRole('row').filter({ hasText: 'epsilon' })).toHaveCount(0);
    await log.getByRole('button', { name: 'Resume' }).click();
    await expect(log.getByRole('row').filter({ hasText: 'delta' })).toHaveCount(2);
    await expect(log.getByRole('row').filter({ hasText: 'epsilon' })).toHaveCount(2);
  });

  test('exports pcapng, CSV and JSON Lines that hold the traffic', async ({ app }) => {
    await openTcpClient(app);
    // A second session, whose records only "everything held" takes.
    await connectTo(app, echo.port);
    await expect(app.getByRole('status', { name: 'Session state' })).toHaveText('Connected');
    await connectTo(app, echo.port);
    await expect(app.getByRole('status', { name: 'Session state' })).toHaveText('Connected');
    const payload = app.getByLabel('Payload', { exact: true });
    await payload.fill('export-me\\n');
    await payload.press('Control+Enter');
    const log = app.getByRole('region', { name: 'Packet log' });
    await expect(log.getByRole('row').filter({ hasText: 'export-me' })).toHaveCount(2);
    const sessionId = await app.getByRole('tab', { selected: true }).innerText();
    await log.getByLabel('Session').selectOption({ label: sessionId.replace(/^\s*/, '') });

    await log.getByText('Export', { exact: true }).click();
    const exportGroup = log.getByRole('group', { name: 'Export' });
    await expect(exportGroup.getByRole('radio', { name: /What is shown/ })).toBeChecked();
    const [jsonl] = await Promise.all([
      app.waitForEvent('download'),
      exportGroup.getByRole('button', { name: 'JSON Lines' }).click(),
    ]);
    const lines = readFileSync(await jsonl.path(), 'utf8')
      .trim()
      .split('\n');
    const parsed = lines.map((line) => JSON.parse(line) as { direction: string; base64: string });
    const data = parsed.filter((record) => record.direction !== 'event');
    expect(data.map((record) => Buffer.from(record.base64, 'base64').toString())).toEqual([
      'export-me\n',
      'export-me\n',
    ]);

    const [csv] = await Promise.all([
      app.waitForEvent('download'),
      exportGroup.getByRole('button', { name: 'CSV' }).click(),
    ]);
    const csvText = readFileSync(await csv.path(), 'utf8');
    expect(csvText).toContain('id,time,session');
    expect(csvText).toContain('export-me\\n');

    const [pcap] = await Promise.all([
      app.waitForEvent('download'),
      exportGroup.getByRole('button', { name: 'pcapng' }).click(),
    ]);
    expect(pcap.suggestedFilename()).toMatch(/\.pcapng$/);
    const capture = readPcapng(readFileSync(await pcap.path()));
    const withPayload = capture.packets
      .map((packet) => ({ ...decodeIpPacket(packet.data), flags: packet.flags }))
      .filter((packet) => packet.payload.length > 0);
    expect(withPayload.map((packet) => Buffer.from(packet.payload).toString())).toEqual([
      'export-me\n',
      'export-me\n',
    ]);
    expect(withPayload[0]).toMatchObject({ dstPort: echo.port, dst: '127.0.0.1', flags: 2 });
    expect(withPayload[1]).toMatchObject({ srcPort: echo.port, src: '127.0.0.1', flags: 1 });

    // "Everything held" takes every session's records, whatever the list shows.
    await exportGroup.getByRole('radio', { name: /Everything held/ }).check();
    const [everything] = await Promise.all([
      app.waitForEvent('download'),
      exportGroup.getByRole('button', { name: 'JSON Lines' }).click(),
    ]);
    const held = readFileSync(await everything.path(), 'utf8')
      .trim()
      .split('\n');
    expect(held.length).toBeGreaterThan(lines.length);
    const sessionsHeld = new Set(
      held.map((line) => (JSON.parse(line) as { sessionId: string }).sessionId),
    );
    expect(sessionsHeld.size).toBeGreaterThan(1);
  });

  test('says "refused" and "name not found" in words', async ({ app }) => {
    await openTcpClient(app);
    const closed = await freePort();
    await connectTo(app, closed);
    await expect(app.getByRole('alert')).toContainText('refused');
    await expect(app.getByRole('alert')).toContainText('ECONNREFUSED');
    await expect(app.getByRole('status', { name: 'Session state' })).toHaveText('Failed');

    await connectTo(app, 80, 'no-such-host.invalid');
    await expect(app.getByRole('alert')).toContainText('Name not found');
    await expect(app.getByRole('alert')).toContainText('ENOTFOUND');
  });

  test('disconnects and reconnects', async ({ app }) => {
    await openTcpClient(app);
    await connectTo(app, echo.port);
    const state = app.getByRole('status', { name: 'Session state' });
    await expect(state).toHaveText('Connected');
    await app.getByRole('button', { name: 'Disconnect' }).click();
    await expect(state).toHaveText('Closed');
    const log = app.getByRole('region', { name: 'Packet log' });
    await expect(log.getByRole('row').filter({ hasText: 'Closed by us' })).toHaveCount(1);
    await app.getByRole('button', { name: 'Reconnect' }).click();
    await expect(state).toHaveText('Connected');
  });

  test('streams a file with progress, and GBK text reads back as GBK', async ({ app }) => {
    const sink = await startPeer({ onConnection: () => {} });
    try {
      await openTcpClient(app);
      await connectTo(app, sink.port);
      await expect(app.getByRole('status', { name: 'Session state' })).toHaveText('Connected');
      const content = Buffer.alloc(300 * 1024);
      for (let i = 0; i < content.length; i++) content[i] = (i * 7) % 256;
      await app.getByLabel('File to send').setInputFiles({
        name: 'firmware.bin',
        mimeType: 'application/octet-stream',
        buffer: content,
      });
      await expect(app.getByRole('progressbar', { name: 'Sending firmware.bin' })).toHaveAttribute(
        'value',
        String(content.length),
      );
      await expect(app.getByText('300 KiB / 300 KiB')).toBeVisible();
      await expect
        .poll(() => Buffer.concat(sink.received[0] ?? []).equals(content), { timeout: 10_000 })
        .toBe(true);

      await app.getByLabel('Charset', { exact: true }).selectOption('gbk');
      await app.getByLabel('Payload', { exact: true }).fill('你好\\r\\n');
      await app.getByRole('button', { name: 'Send', exact: true }).click();
      const log = app.getByRole('region', { name: 'Packet log' });
      await log.getByLabel('Log charset').selectOption('gbk');
      await expect(log.getByRole('row').filter({ hasText: '你好\\r\\n' })).toHaveCount(1);
      await expect
        .poll(() => Buffer.concat(sink.received[0]!).subarray(content.length).toString('hex'))
        .toBe('c4e3bac30d0a');

      // The arrow keys bring back what was sent.
      const payload = app.getByLabel('Payload', { exact: true });
      await payload.fill('');
      await payload.press('ArrowUp');
      await expect(payload).toHaveValue('你好\\r\\n');
    } finally {
      await sink.close();
    }
  });

  test('the log window and engine budget are configurable, and bad values are refused', async ({
    app,
  }) => {
    await openTcpClient(app);
    const log = app.getByRole('region', { name: 'Packet log' });
    await log.getByText('Settings').click();
    await log.getByLabel('Window (records)').fill('50');
    await log.getByRole('button', { name: 'Apply' }).click();
    await expect(log.getByRole('alert')).toContainText('Window (records): must be a whole number');
    await log.getByLabel('Window (records)').fill('5000');
    await log.getByLabel('Engine log budget (MiB)').fill('64');
    await log.getByRole('button', { name: 'Apply' }).click();
    await expect(log.getByRole('status').filter({ hasText: 'Window 5000' })).toContainText(
      'engine budget 64.0 MiB',
    );
    await log.getByLabel('Engine log budget (MiB)').fill('256');
    await log.getByRole('button', { name: 'Apply' }).click();
    await expect(log.getByRole('status').filter({ hasText: 'Window 5000' })).toContainText(
      '256 MiB',
    );
  });

  test('cancels a file that the peer is too slow to take', async ({ app }) => {
    // The peer never reads: once the kernel's buffers are full the send stalls.
    const stalled = await startPeer({ onConnection: (socket) => socket.pause() });
    try {
      await openTcpClient(app);
      await connectTo(app, stalled.port);
      await expect(app.getByRole('status', { name: 'Session state' })).toHaveText('Connected');
      const size = 16 * 1024 * 1024;
      await app.getByLabel('File to send').setInputFiles({
        name: 'big.bin',
        mimeType: 'application/octet-stream',
        buffer: Buffer.alloc(size, 1),
      });
      const progress = app.getByRole('progressbar', { name: 'Sending big.bin' });
      await expect
        .poll(async () => Number(await progress.getAttribute('value')))
        .toBeGreaterThan(0);
      await app.getByRole('button', { name: 'Cancel' }).click();
      await expect(app.getByText('Cancelled')).toBeVisible();
      const sent = Number(await progress.getAttribute('value'));
      expect(sent).toBeLessThan(size);
      // Nothing more goes out after the cancel.
      await app.waitForTimeout(300);
      expect(Number(await progress.getAttribute('value'))).toBeLessThanOrEqual(sent + 64 * 1024);
    } finally {
      await stalled.close();
    }
  });

  test('renders only the visible rows of a long log', async ({ app }) => {
    const chatty = await startPeer({
      onConnection: (socket) => {
        let left = 1500;
        const timer = setInterval(() => {
          for (let i = 0; i < 3 && left > 0; i++, left--) socket.write(`line ${left}\n`);
          if (left === 0) clearInterval(timer);
        }, 2);
      },
    });
    try {
      await openTcpClient(app);
      await connectTo(app, chatty.port);
      const log = app.getByRole('region', { name: 'Packet log' });
      await expect(log.getByText('line 1\\n')).toBeVisible({ timeout: 15_000 });
      const footer = await log.getByText(/shown of/).innerText();
      const shown = Number(/^(\d+) shown/.exec(footer)?.[1]);
      expect(shown).toBeGreaterThan(100);
      const rendered = await log.getByRole('row').count();
      expect(rendered).toBeLessThan(80);
    } finally {
      await chatty.close();
    }
  });

  test('the filter finds text beyond the first 256 bytes of a record', async ({ app }) => {
    const talker = await startPeer({
      onConnection: (socket) => {
        socket.write(`${'x'.repeat(600)}MARKER-deep${'y'.repeat(100)}`);
        // Only while open: a write on an ended socket fails the run from a timer.
        setTimeout(() => socket.writable && socket.write('short MARKER-shallow'), 100);
        setTimeout(() => socket.writable && socket.write('no match here'), 200);
      },
    });
    try {
      await openTcpClient(app);
      await connectTo(app, talker.port);
      const log = app.getByRole('region', { name: 'Packet log' });
      await expect(log.getByRole('row').filter({ hasText: 'no match here' })).toHaveCount(1);
      await log.getByLabel('Filter', { exact: true }).fill('marker-');
      await expect(log.getByText(/^2 shown of/)).toBeVisible();
      await expect(log.getByRole('row').filter({ hasText: 'MARKER-shallow' })).toHaveCount(1);
      await expect(log.getByRole('row').filter({ hasText: 'xxxxxxxx' })).toHaveCount(1);
      await log.getByLabel('Filter as').selectOption('hex');
      await log.getByLabel('Filter', { exact: true }).fill('2d 64 65 65 70');
      await expect(log.getByText(/^1 shown of/)).toBeVisible();
    } finally {
      await talker.close();
    }
  });
});
