import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commands } from '@shared/contract';
import type { CommandName } from '@shared/contract';
import { ErrorCode } from '@shared/errors';
import type { CallEnvelope } from '@shared/errors';
import { Engine } from '../../src/main/engine';
import { dispatch } from '../../src/main/router';
import { call, eventually } from '../support/engine-calls';
import { startPeer } from '../support/peers';
import type { TestPeer } from '../support/peers';

/** What the validator says when a schema gives no words of its own. */
const validatorEnglish =
  /Invalid input|Invalid option|Too (big|small)|expected .+, received|Unrecognized key|Invalid (string|element|key|union|format)/;

/**
 * Commands that reach the network, or open a socket that could, when their arguments
 * are valid: fuzzed only with bad ones (traffic in tests goes to loopback only).
 */
const networkCommands = new Set<CommandName>([
  'tcp.connect',
  'udp.bind',
  'lookup.host',
  'lookup.address',
  'lookup.dns',
]);

const names = Object.keys(commands) as CommandName[];
const errorCodes = new Set<string>(Object.values(ErrorCode));

/** The field names of a command's arguments, where its schema is an object. */
function fieldsOf(name: CommandName): string[] {
  const schema = commands[name].args as unknown;
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

const huge = 'x'.repeat(2 * 1024 * 1024);
const badValues: unknown[] = [null, huge, -1.5, {}, [], true, 1e300, [huge], { [huge]: 1 }];

function isValid(name: CommandName, args: unknown): boolean {
  return commands[name].args.safeParse(args ?? {}).success;
}

/** An answer is an envelope with a closed code and short words of ours. */
function expectWellFormed(name: CommandName, answer: CallEnvelope): void {
  if (answer.ok) return;
  expect(errorCodes.has(answer.error.code), `${name}: ${answer.error.code}`).toBe(true);
  expect(answer.error.message, name).not.toMatch(validatorEnglish);
  // Inputs are quoted as a short prefix: a 2 MiB value never comes back.
  expect(
    answer.error.message.length,
    `${name}: ${answer.error.message.slice(0, 200)}`,
  ).toBeLessThan(2000);
  expect(JSON.stringify(answer.error).length, name).toBeLessThan(8000);
}

describe('every command under abuse', () => {
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

  it('answers bad values for every field of every command in our own words, cut short', async () => {
    let checked = 0;
    for (const name of names) {
      const variants: unknown[] = [42, 'x', [], huge];
      for (const field of fieldsOf(name))
        for (const value of badValues) variants.push({ [field]: value });
      for (const args of variants) {
        if (isValid(name, args)) continue;
        const answer = await dispatch(engine, name, args);
        expect(answer.ok, `${name} took ${JSON.stringify(args).slice(0, 80)}`).toBe(false);
        if (!answer.ok) expect(answer.error.code).toBe(ErrorCode.invalidArgs);
        expectWellFormed(name, answer);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(names.length * 10);
  }, 60_000);

  it('survives every command fuzzed with generated arguments, and answers afterwards', async () => {
    const field = (name: CommandName) =>
      fc.constantFrom(...fieldsOf(name), 'extra', '__proto__', 'constructor');
    const generated = fc
      .constantFrom(...names)
      .chain((name) =>
        fc.tuple(
          fc.constant(name),
          fc.oneof(
            fc.anything({ maxDepth: 2 }),
            fc.dictionary(field(name), fc.anything({ maxDepth: 2 }), { maxKeys: 6 }),
          ),
        ),
      );
    let dispatched = 0;
    await fc.assert(
      fc.asyncProperty(generated, async ([name, args]) => {
        if (networkCommands.has(name) && isValid(name, args)) return;
        const answer = await dispatch(engine, name, args);
        dispatched += 1;
        expectWellFormed(name, answer);
      }),
      { numRuns: 1500 },
    );
    expect(dispatched).toBeGreaterThan(1000);

    // Still alive: it answers, and a real session to loopback works end to end.
    expect((await call(engine, 'app.info', {})).name).toBe('sockscope');
    const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: echo.port });
    expect(session.state).toBe('connected');
    await call(engine, 'session.send', {
      sessionId: session.id,
      payload: { format: 'text', text: 'still here' },
    });
    await eventually(() =>
      expect(
        [...engine.log.iterate(session.id)].some(
          (record) =>
            record.direction === 'in' && Buffer.from(record.bytes).toString() === 'still here',
        ),
      ).toBe(true),
    );
    await call(engine, 'session.remove', { sessionId: session.id });
  }, 120_000);

  it('refuses sessions past the limit with words', async () => {
    const { maxSessions } = await import('../../src/main/engine/sockets/sessions');
    const refusedPort = 1; // tcpmux: nothing listens on loopback, so each connect is refused at once
    const before = (await call(engine, 'session.list', {})).length;
    const opened: string[] = [];
    let refused: unknown = null;
    for (let index = 0; index <= maxSessions && refused === null; index++) {
      try {
        opened.push(
          (await call(engine, 'tcp.connect', { host: '127.0.0.1', port: refusedPort })).id,
        );
      } catch (error) {
        refused = error;
      }
    }
    expect(before + opened.length).toBe(maxSessions);
    expect(refused).toMatchObject({
      code: ErrorCode.tooManySessions,
      message: expect.stringMatching(
        /^Cannot open another session: the engine holds \d+, the most it allows/,
      ),
    });
    for (const sessionId of opened) await call(engine, 'session.remove', { sessionId });
    expect((await call(engine, 'session.list', {})).length).toBe(before);
  }, 120_000);
});
