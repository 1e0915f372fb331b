import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startPeer } from '../tests/support/peers';
import type { TestPeer } from '../tests/support/peers';
import { expect, test } from './fixtures';

test.describe('Reply rules on a TCP client', () => {
  let peer: TestPeer;
  test.beforeAll(async () => {
    // The test client: it writes what the test tells it and keeps what it gets back.
    peer = await startPeer({ onConnection: () => {} });
  });
  test.afterAll(async () => peer.close());

  test('a ping → pong responder answers the peer; a bad regex is refused naming the rule', async ({
    app,
  }, testInfo) => {
    await app.getByRole('navigation').getByRole('button', { name: 'TCP client' }).click();
    await app.getByRole('tab', { name: /New connection/ }).click();
    await app.getByLabel('Host', { exact: true }).fill('127.0.0.1');
    await app.getByLabel('Port', { exact: true }).fill(String(peer.port));
    await app.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(app.getByRole('status', { name: 'Session state' })).toHaveText('Connected');

    const rules = app.getByRole('region', { name: 'Reply rules' });
    await rules.getByRole('button', { name: '+ ping → pong' }).click();
    await expect(rules.getByRole('checkbox', { name: 'Rule ping → pong on' })).toBeChecked();

    const index = peer.connections.length - 1;
    peer.connections[index]!.write('ping');
    await expect.poll(() => Buffer.concat(peer.received[index]!).toString()).toBe('pong');
    await expect(rules.getByRole('row').filter({ hasText: 'ping → pong' })).toContainText('1');
    const log = app.getByRole('region', { name: 'Packet log' });
    await expect(log.getByText('rule "ping → pong"')).toBeVisible();

    // A bad regex is refused before it reaches the engine, naming the rule.
    await rules.getByRole('button', { name: 'Add rule' }).click();
    await rules.getByLabel('Rule name').fill('broken');
    await rules.getByLabel('Match', { exact: true }).selectOption('regex');
    await rules.getByLabel('Pattern').fill('a(b');
    await rules.getByLabel('Reply', { exact: true }).fill('x');
    await rules.getByRole('button', { name: 'Save rule' }).click();
    await expect(rules.getByRole('alert')).toContainText(
      'rule 2 "broken": is not a valid regular expression',
    );

    const shots = join(import.meta.dirname, '..', 'test-results', 'screenshots');
    mkdirSync(shots, { recursive: true });
    await app.setViewportSize({ width: 1280, height: 800 });
    await rules.scrollIntoViewIfNeeded();
    await app.screenshot({ path: join(shots, `reply-rules-${testInfo.project.name}.png`) });
  });
});
