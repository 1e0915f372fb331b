import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startDnsServer } from '../tests/support/dns-server';
import type { DnsTestServer } from '../tests/support/dns-server';
import { expect, test } from './fixtures';

test.describe('Lookups', () => {
  test('resolves localhost to 127.0.0.1 through getaddrinfo', async ({ app }) => {
    await app.getByRole('button', { name: 'Lookups' }).click();
    await app.getByLabel('Host', { exact: true }).fill('localhost');
    await app.getByRole('button', { name: 'Resolve' }).click();
    const results = app.getByRole('region', { name: 'Results' });
    await expect(results.getByRole('cell', { name: '127.0.0.1' })).toBeVisible();
    await expect(results).toContainText('IPv4');
  });

  test('gethostbyname_ex lays out canonical name, aliases and addresses', async ({ app }) => {
    await app.getByLabel('Host', { exact: true }).fill('localhost');
    await app.getByLabel('Call').selectOption('gethostbyname_ex');
    await app.getByRole('button', { name: 'Resolve' }).click();
    const results = app.getByRole('region', { name: 'Results' });
    await expect(results.getByRole('row', { name: /Canonical name/ })).toContainText('localhost');
    await expect(results.getByRole('cell', { name: '127.0.0.1' })).toBeVisible();
  });

  test('a name that does not exist says not found, without a stack trace', async ({ app }) => {
    await app.getByLabel('Host', { exact: true }).fill('no-such-host.invalid');
    await app.getByRole('button', { name: 'Resolve' }).click();
    const alert = app.getByRole('alert');
    await expect(alert).toContainText('no-such-host.invalid');
    await expect(alert).toContainText(/does not exist|not found/i);
    await expect(alert).toContainText('ENOTFOUND');
    await expect(alert).not.toContainText(/\bat .*\(.*:\d+:\d+\)/);
  });

  test('bad input is refused in the form, naming the field', async ({ app }) => {
    await app.getByRole('button', { name: 'Resolve' }).click();
    await expect(app.getByRole('alert')).toContainText('Host: must not be empty');
    await app.getByLabel('Host', { exact: true }).fill('exa mple.com');
    await app.getByRole('button', { name: 'Resolve' }).click();
    await expect(app.getByRole('alert')).toContainText('Host: contains a space at position 4');
    await expect(app.getByLabel('Host', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  });

  test('reverse lookup of 127.0.0.1 names localhost; getnameinfo adds the service', async ({
    app,
  }) => {
    await app.getByRole('tab', { name: 'Address → name' }).click();
    await app.getByLabel('Address', { exact: true }).fill('127.0.0.1');
    await app.getByRole('button', { name: 'Look up name' }).click();
    const results = app.getByRole('region', { name: 'Results' });
    await expect(results.getByRole('row', { name: /Host name/ })).toContainText('localhost');

    await app.getByLabel('Call').selectOption('getnameinfo');
    await app.getByLabel('Port', { exact: true }).fill('80');
    await app.getByRole('button', { name: 'Look up name' }).click();
    await expect(results.getByRole('row', { name: /Service/ })).toContainText('http');

    await app.getByLabel('Address', { exact: true }).fill('127.0.0.999');
    await app.getByRole('button', { name: 'Look up name' }).click();
    await expect(app.getByRole('alert')).toContainText('Address: "127.0.0.999" is not an IPv4');
  });

  test('service http over tcp is port 80, and typing offers matching names', async ({ app }) => {
    await app.getByRole('tab', { name: 'Services' }).click();
    const byName = app.getByRole('group', { name: /getservbyname/ });
    await byName.getByLabel('Service', { exact: true }).fill('htt');
    const suggestions = app.getByRole('list', { name: 'Matching services' });
    await expect(suggestions.getByRole('button', { name: /^http\b/ }).first()).toBeVisible();
    await expect(suggestions).toContainText('https');
    await byName.getByLabel('Service', { exact: true }).fill('http');
    await byName.getByRole('button', { name: 'Find port' }).click();
    const results = app.getByRole('region', { name: 'Results' });
    await expect(results.getByRole('cell', { name: '80', exact: true })).toBeVisible();

    const byPort = app.getByRole('group', { name: /getservbyport/ });
    await byPort.getByLabel('Port').fill('443');
    await byPort.getByRole('button', { name: 'Find service' }).click();
    await expect(results.getByRole('cell', { name: 'https', exact: true })).toBeVisible();

    await byPort.getByLabel('Port').fill('70000');
    await byPort.getByRole('button', { name: 'Find service' }).click();
    await expect(app.getByRole('alert')).toContainText('Port: must be from 0 to 65535');
  });

  test.describe('DNS records from a server on loopback', () => {
    let server: DnsTestServer;
    test.beforeAll(async () => {
      server = await startDnsServer({
        'shop.test': {
          A: ['192.0.2.10'],
          MX: [{ preference: 10, exchange: 'mail.shop.test' }],
          TXT: ['v=spf1 -all'],
        },
      });
    });
    test.afterAll(async () => server.close());

    test('queries MX and A, shows TTLs and the time taken, and refuses bad servers', async ({
      app,
    }, testInfo) => {
      await app.getByRole('tab', { name: 'DNS records' }).click();
      await app.getByLabel('Name', { exact: true }).fill('shop.test');
      await app.getByLabel('Record type').selectOption('MX');
      await app.getByLabel('DNS server').fill(`127.0.0.1:${server.port}`);
      await app.getByRole('button', { name: 'Query' }).click();
      const results = app.getByRole('region', { name: 'Results' });
      await expect(results.getByRole('cell', { name: '10 mail.shop.test' })).toBeVisible();
      await expect(results).toContainText(`from 127.0.0.1:${server.port} in`);

      await app.getByLabel('Record type').selectOption('A');
      await app.getByRole('button', { name: 'Query' }).click();
      await expect(results.getByRole('cell', { name: '192.0.2.10' })).toBeVisible();

      await app.getByLabel('Name', { exact: true }).fill('missing.test');
      await app.getByRole('button', { name: 'Query' }).click();
      await expect(app.getByRole('alert')).toContainText(/does not exist|not found/i);

      await app.getByLabel('DNS server').fill('127.0.0.1:99999');
      await app.getByRole('button', { name: 'Query' }).click();
      await expect(app.getByRole('alert')).toContainText('DNS server: port 99999 is out of range');

      // Recent lookups are kept and can be run again.
      const recent = app.getByRole('complementary', { name: 'Recent lookups' });
      await expect(recent.getByText(`MX shop.test @127.0.0.1:${server.port}`)).toBeVisible();
      await recent
        .getByRole('button', { name: `Run again: MX shop.test @127.0.0.1:${server.port}` })
        .click();
      await expect(results.getByRole('cell', { name: '10 mail.shop.test' })).toBeVisible();
      await expect(app.getByLabel('Record type')).toHaveValue('MX');

      const shots = join(import.meta.dirname, '..', 'test-results', 'screenshots');
      mkdirSync(shots, { recursive: true });
      const path = join(shots, `lookups-${testInfo.project.name}.png`);
      await app.screenshot({ path, fullPage: true });
      await testInfo.attach('lookups screen', { path, contentType: 'image/png' });
    });
  });

  test('the UI speaks Simplified Chinese', async ({ app }) => {
    await app.getByLabel('Language').selectOption('zh-CN');
    await expect(app.getByRole('navigation', { name: '主导航' })).toBeVisible();
    await expect(app.getByRole('button', { name: '查询', exact: true }).first()).toBeVisible();
    await app.getByLabel('主机', { exact: true }).fill('localhost');
    await app.getByRole('button', { name: '解析' }).click();
    await expect(app.getByRole('cell', { name: '127.0.0.1' })).toBeVisible();
    await app.getByLabel('语言').selectOption('en');
    await expect(app.getByRole('navigation', { name: 'Main navigation' })).toBeVisible();
  });
});
