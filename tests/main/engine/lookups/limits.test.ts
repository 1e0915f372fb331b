import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DnsQueryArgs } from '@shared/contract';
import { ErrorCode } from '@shared/errors';
import { Lookups, maxLookupsInFlight } from '../../../../src/main/engine/lookups/lookups';

describe('lookup timeouts and limits', () => {
  let silent: Socket;
  let lookups: Lookups;

  beforeAll(async () => {
    // A DNS server on loopback that never answers.
    silent = createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    lookups = new Lookups({ systemServers: [`127.0.0.1:${silent.address().port}`] });
  });
  afterAll(() => {
    lookups.close();
    silent.close();
  });

  it('waits the whole timeout it was given, past the 5 s the system resolver stops at by default', async () => {
    const started = performance.now();
    await expect(
      lookups.dns(DnsQueryArgs.parse({ name: 'example.test', timeoutMs: 7000, retries: 0 })),
    ).rejects.toMatchObject({ code: ErrorCode.lookupTimeout });
    expect(performance.now() - started).toBeGreaterThanOrEqual(6900);
  }, 20_000);

  it('refuses lookups past the limit in flight, with words', async () => {
    const query = DnsQueryArgs.parse({ name: 'example.test', timeoutMs: 3000, retries: 0 });
    const running = Array.from({ length: maxLookupsInFlight }, () =>
      lookups.dns(query).catch((error: unknown) => error),
    );
    await expect(lookups.dns(query)).rejects.toMatchObject({
      code: ErrorCode.tooManyLookups,
      message: expect.stringMatching(/^Too many lookups at once: 256 are running/),
    });
    const outcomes = await Promise.all(running);
    expect(
      outcomes.every((error) => (error as { code?: string }).code === ErrorCode.lookupTimeout),
    ).toBe(true);
    // Slots are given back: the next lookup runs (and times out against the silent server).
    await expect(lookups.dns({ ...query, timeoutMs: 200 })).rejects.toMatchObject({
      code: ErrorCode.lookupTimeout,
    });
  }, 30_000);
});
