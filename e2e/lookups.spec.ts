import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startDnsServer } from '../tests/support/dns-server';
import type { DnsTestServer } from '../tests/support/dns-server';
import type { Locator, Page } from '@playwright/test';
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
          ttl: 3600,
          A: ['192.0.2.10'],
          MX: [{ preference: 10, exchange: 'mail.shop.test' }],
          TXT: [['alpha one', 'beta two'], 'v=spf1 -all', ['café', '中文']],
          NS: ['ns1.shop.test'],
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
      await expect(results.getByRole('cell', { name: '10 mail.shop.test.' })).toBeVisible();
      await expect(results).toContainText(`from 127.0.0.1:${server.port} over UDP in`);

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
      await expect(results.getByRole('cell', { name: '10 mail.shop.test.' })).toBeVisible();
      await expect(app.getByLabel('Record type')).toHaveValue('MX');

      const shots = join(import.meta.dirname, '..', 'test-results', 'screenshots');
      mkdirSync(shots, { recursive: true });
      const path = join(shots, `lookups-${testInfo.project.name}.png`);
      await app.screenshot({ path, fullPage: true });
      await testInfo.attach('lookups screen', { path, contentType: 'image/png' });
    });
  });

  test.describe('DNS records as dig shows them', () => {
    let server: DnsTestServer;
    test.beforeAll(async () => {
      server = await startDnsServer({
        'txt.test': {
          ttl: 1800,
          TXT: [['alpha one', 'beta two'], 'alpha onebeta two', ['café', '中文']],
          MX: [{ preference: 5, exchange: 'mx.txt.test' }],
        },
        'big.test': {
          ttl: 45,
          A: Array.from({ length: 60 }, (_, index) => `192.0.2.${index + 1}`),
        },
      });
    });
    test.afterAll(async () => server.close());
    test.afterEach(() => {
      server.mode = 'answer';
    });

    /** Opens the DNS records tab with a name, type and our server filled in. */
    async function fillDnsForm(app: Page, name: string, type: string): Promise<void> {
      await app.getByRole('button', { name: 'Lookups' }).click();
      await app.getByRole('tab', { name: 'DNS records' }).click();
      await app.getByLabel('Name', { exact: true }).fill(name);
      await app.getByLabel('Record type').selectOption(type);
      await app.getByLabel('DNS server').fill(server.server);
    }

    async function queryTxt(app: Page): Promise<Locator> {
      await fillDnsForm(app, 'txt.test', 'TXT');
      await app.getByRole('button', { name: 'Query' }).click();
      const results = app.getByRole('region', { name: 'Results' });
      await expect(results.getByRole('table', { name: 'Answer section' })).toBeVisible();
      return results;
    }

    test('TXT strings each quoted, TTLs, header flags, and the dig-style text copied', async ({
      app,
    }, testInfo) => {
      const results = await queryTxt(app);
      const answer = results.getByRole('table', { name: 'Answer section' });
      // Two strings and one glued string look different.
      await expect(
        answer.getByRole('cell', { name: '"alpha one" "beta two"', exact: true }),
      ).toBeVisible();
      await expect(
        answer.getByRole('cell', { name: '"alpha onebeta two"', exact: true }),
      ).toBeVisible();
      await expect(answer.getByRole('cell', { name: '"café" "中文"', exact: true })).toBeVisible();
      // Every row has its TTL.
      await expect(answer.getByRole('row', { name: /txt\.test\. 1800 IN TXT/ })).toHaveCount(3);
      await expect(results).toContainText('Status NOERROR (rcode 0)');
      await expect(results.getByLabel('AA authoritative answer: 1')).toBeVisible();
      await expect(results.getByLabel('TC truncated: 0')).toBeVisible();
      await expect(results).toContainText("answered by sockscope's DNS client");

      const digText = results.getByLabel('dig-style text');
      await expect(digText).toContainText(';; ANSWER SECTION:');
      await expect(digText).toContainText('txt.test.\t\t1800\tIN\tTXT\t"alpha one" "beta two"');
      if (testInfo.project.name === 'web')
        await app.context().grantPermissions(['clipboard-read', 'clipboard-write']);
      await results.getByRole('button', { name: 'Copy dig-style text' }).click();
      await expect(results.getByRole('button', { name: 'Copied' })).toBeVisible();
      const copied = await app.evaluate(() => navigator.clipboard.readText());
      expect(copied).toBe(await digText.textContent());
      expect(copied).toContain(`;; SERVER: 127.0.0.1#${server.port}(127.0.0.1) (UDP)`);
    });

    test('options reach the server: TCP, RD off, DO on, EDNS size; bad options named', async ({
      app,
    }) => {
      await fillDnsForm(app, 'txt.test', 'MX');
      const options = app.locator('summary', { hasText: 'Query options' });
      await expect(options).toContainText('UDP · EDNS 1232 · RD · 2000 ms · +retry=2');
      await options.click();
      await app.getByLabel('Transport').selectOption('tcp');
      await app.getByLabel('Recursion desired (RD)').uncheck();
      await app.getByLabel('DNSSEC OK (DO)').check();
      await app.getByLabel('EDNS buffer (bytes, 0 = off)').fill('4096');
      await expect(options).toContainText('+tcp · EDNS 4096 · +norecurse · +dnssec');
      await app.getByRole('button', { name: 'Query' }).click();
      const results = app.getByRole('region', { name: 'Results' });
      await expect(results.getByRole('cell', { name: '5 mx.txt.test.' })).toBeVisible();
      await expect(results).toContainText('over TCP');
      await expect(results.getByLabel('RD recursion desired: 0')).toBeVisible();
      expect(server.received.at(-1)).toMatchObject({
        transport: 'tcp',
        recursionDesired: false,
        dnssecOk: true,
        ednsBufferSize: 4096,
      });

      await app.getByLabel('EDNS buffer (bytes, 0 = off)').fill('100');
      await app.getByRole('button', { name: 'Query' }).click();
      await expect(app.getByRole('alert')).toContainText(
        'EDNS buffer (bytes, 0 = off): must be 0 (no EDNS) or from 512 to 65535',
      );
      await app.getByLabel('EDNS buffer (bytes, 0 = off)').fill('1232');
      await app.getByLabel('Retries').fill('11');
      await app.getByRole('button', { name: 'Query' }).click();
      await expect(app.getByRole('alert')).toContainText('Retries: must be from 0 to 10');
    });

    test("with no server named, the system's DNS servers are listed and one can be picked", async ({
      app,
    }) => {
      await app.getByRole('button', { name: 'Lookups' }).click();
      await app.getByRole('tab', { name: 'DNS records' }).click();
      const systemServers = app.getByText(
        /System's DNS servers \(.+\):|The system names no DNS servers/,
      );
      await expect(systemServers).toBeVisible();
      const shots = join(import.meta.dirname, '..', 'test-results', 'screenshots');
      mkdirSync(shots, { recursive: true });
      await app.setViewportSize({ width: 900, height: 600 });
      await app.screenshot({ path: join(shots, 'dns-records-system-servers-900x600.png') });
      const pick = app.getByRole('button', { name: /^Use \d|^Use \[/ }).first();
      // Picking fills the field only; nothing is sent to a server off this machine.
      if ((await pick.count()) === 0)
        console.log('no pick to test: the system names no DNS servers');
      else {
        const label = (await pick.textContent()) ?? '';
        await pick.click();
        await expect(app.getByLabel('DNS server')).toHaveValue(label.trim());
      }
    });

    test('a truncated answer comes over TCP; rcodes, silence and a spoofed id are said in words', async ({
      app,
    }) => {
      await fillDnsForm(app, 'big.test', 'A');
      await app.locator('summary', { hasText: 'Query options' }).click();
      await app.getByLabel('EDNS buffer (bytes, 0 = off)').fill('0');
      await app.getByLabel('Timeout (ms)').fill('400');
      await app.getByLabel('Retries').fill('1');
      await app.getByRole('button', { name: 'Query' }).click();
      const results = app.getByRole('region', { name: 'Results' });
      await expect(results).toContainText('60 answer record(s)');
      await expect(results).toContainText('over TCP');
      await expect(results.getByRole('list', { name: 'Notes' })).toContainText(
        'The UDP answer was truncated (TC); the full answer came over TCP.',
      );
      await expect(
        results.getByRole('row', { name: /^big\.test\. 45 IN A 192\.0\.2\.60$/ }),
      ).toBeVisible();
      // Notes are said in the user's language.
      await app.getByLabel('Language').selectOption('zh-CN');
      await expect(app.getByRole('list', { name: '说明' })).toContainText(
        'UDP 应答被截断（TC 位），完整应答已改经 TCP 取得。',
      );
      await app.getByLabel('语言').selectOption('en');

      const alert = app.getByRole('alert');
      const cases: [typeof server.mode, RegExp][] = [
        ['formerr', /FORMERR: the server could not understand the query \(FORMERR, rcode 1\)/],
        ['servfail', /SERVFAIL: the server could not resolve the name \(SERVFAIL, rcode 2\)/],
        ['nxdomain', /No A records for "big\.test": the name does not exist \(NXDOMAIN, rcode 3\)/],
        ['notimp', /NOTIMP: the server does not implement this kind of query \(NOTIMP, rcode 4\)/],
        ['refused', /refused the query: it will not serve this query to us \(REFUSED, rcode 5\)/],
        ['silent', /timed out: no reply to 2 tries of 400 ms each over UDP \(ETIMEOUT\)/],
        ['wrong-id', /Ignored a reply with id \d+ \(the query's id is \d+\).*sign of spoofing/],
      ];
      for (const [mode, words] of cases) {
        server.mode = mode;
        await app.getByRole('button', { name: 'Query' }).click();
        await expect(alert).toContainText(words);
        // A reply with an error rcode is shown as dig shows it; no reply, nothing to show.
        if (mode === 'silent' || mode === 'wrong-id') await expect(results).toHaveCount(0);
        else
          await expect(results.getByLabel('dig-style text')).toContainText(
            `status: ${mode.toUpperCase()}`,
          );
        if (mode === 'nxdomain') {
          const shots = join(import.meta.dirname, '..', 'test-results', 'screenshots');
          mkdirSync(shots, { recursive: true });
          await app.screenshot({ path: join(shots, 'dns-records-nxdomain-1280x720.png') });
        }
      }
    });

    test('screens at 900x600 and 1280x800, English and Chinese', async ({ app }) => {
      const shots = join(import.meta.dirname, '..', 'test-results', 'screenshots');
      mkdirSync(shots, { recursive: true });
      await queryTxt(app);
      await app.locator('summary', { hasText: 'Query options' }).click();
      for (const locale of ['en', 'zh-CN'] as const) {
        // Switched from English each time, so the control still reads "Language".
        await app.getByLabel('Language').selectOption(locale);
        for (const [width, height] of [
          [900, 600],
          [1280, 800],
        ] as const) {
          await app.setViewportSize({ width, height });
          await app.screenshot({
            path: join(shots, `dns-records-${locale}-${width}x${height}.png`),
          });
          // And the results, scrolled into view.
          await app.getByRole('table').first().scrollIntoViewIfNeeded();
          await app.screenshot({
            path: join(shots, `dns-records-results-${locale}-${width}x${height}.png`),
          });
          await app.getByRole('tab', { name: /DNS/ }).scrollIntoViewIfNeeded();
        }
      }
      await expect(app.getByRole('region', { name: '结果' })).toContainText(
        '由 sockscope 的 DNS 客户端应答',
      );
      await app.getByLabel('语言').selectOption('en');
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
