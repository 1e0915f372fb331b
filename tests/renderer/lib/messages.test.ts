import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SessionEventKind } from '@shared/contract/log';
import { ErrorCode } from '@shared/errors';
import {
  engineEn,
  engineZh,
  problemPatterns,
  transportErrorCodes,
} from '../../../src/renderer/src/lib/engine-messages';
import { en, zhCN } from '../../../src/renderer/src/lib/messages';

const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!).sort();

function expectSameKeysAndParams(
  english: Readonly<Record<string, string>>,
  chinese: Readonly<Record<string, string>>,
): void {
  expect(Object.keys(chinese).sort()).toEqual(Object.keys(english).sort());
  for (const [key, text] of Object.entries(english)) {
    expect(text.trim(), `en ${key}`).not.toBe('');
    expect(chinese[key]?.trim(), `zh-CN ${key}`).not.toBe('');
    expect(placeholders(chinese[key] ?? ''), `zh-CN ${key} params`).toEqual(placeholders(text));
  }
}

describe('the message catalogue', () => {
  it('has every UI key in both languages, with the same placeholders', () => {
    expectSameKeysAndParams(en, zhCN);
  });

  it('has every engine key in both languages, with the same placeholders', () => {
    expectSameKeysAndParams(engineEn, engineZh);
  });

  it('words every error code in the engine table and the transports', () => {
    const codes = [...Object.values(ErrorCode), ...transportErrorCodes];
    const missing = codes.filter((code) => !(code in engineEn) || !(code in engineZh));
    expect(missing).toEqual([]);
  });

  it("words every kind of log event (the server's and the heartbeat's included)", () => {
    const unworded = SessionEventKind.options.filter(
      (kind) => !Object.keys(engineEn).some((key) => key.startsWith(`event.${kind}`)),
    );
    expect(unworded).toEqual([]);
  });

  it('words every event variant the engine names in its params (what / by), in both languages', () => {
    const engineDir = join(import.meta.dirname, '../../../src/main/engine');
    const variants = new Set<string>();
    for (const file of readdirSync(engineDir, { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts')) continue;
      const source = readFileSync(join(engineDir, file), 'utf8');
      for (const match of source.matchAll(/\b(?:what|by): '([a-z-]+)'/g)) variants.add(match[1]!);
    }
    // The reply rule's loop stop and the FINs are among them (a FIN's variant is computed).
    expect([...variants]).toContain('rule-stopped');
    for (const variant of [...variants, 'disconnect', 'answered', 'idle-kick']) {
      const worded = (words: Readonly<Record<string, string>>) =>
        Object.keys(words).some(
          (key) => /^event\.[a-z-]+\./.test(key) && key.endsWith(`.${variant}`),
        );
      expect(worded(engineEn), `en ${variant}`).toBe(true);
      expect(worded(engineZh), `zh-CN ${variant}`).toBe(true);
    }
  });

  it('has wording for every field-problem pattern', () => {
    for (const { key } of problemPatterns) {
      expect(engineEn[key]).toBeTruthy();
      expect(engineZh[key]).toBeTruthy();
    }
  });

  it('uses the terms Chinese network engineers know', () => {
    expect(zhCN.switchHexSend).toBe('十六进制发送');
    expect(zhCN.switchLineEnding).toBe('发送新行');
    expect(zhCN.switchTimedSend).toBe('定时发送');
    expect(zhCN.infoIn).toBe('接收');
    expect(zhCN.infoOut).toBe('发送');
    expect(zhCN.actionClear).toBe('清空');
    expect(zhCN.actionConnect).toBe('连接');
    expect(zhCN.actionDisconnect).toBe('断开');
  });
});
