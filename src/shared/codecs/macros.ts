/**
 * Macros in a payload's text: `{counter}`, `{date}`, `{crc16-modbus}` and the
 * like, found before the text is read in its format and filled in per send.
 * Only a known name in braces is a macro, so JSON such as `{"a":1}` is sent as
 * typed; in text notations `\{` writes a brace that would otherwise start one.
 */
import { checksumNames, checksums } from './checksums';
import type { ByteOrder, ChecksumAlgorithm } from './checksums';

export type MacroToken =
  | {
      kind: 'counter';
      start: number;
      step: number;
      width: number;
      scope: 'session' | 'global';
    }
  | { kind: 'date' | 'time'; format: string }
  | { kind: 'unix' | 'unix_ms' | 'uuid' | 'seq' | 'random-number' }
  | { kind: 'random'; bytes: number }
  | {
      kind: 'checksum';
      algorithm: ChecksumAlgorithm;
      order: ByteOrder;
      /** First byte covered (0-based); the default 0 is the payload's start. */
      from: number;
      /** End (exclusive); null: up to the checksum itself. */
      to: number | null;
    };

/** A macro and where it sits in the typed text (0-based, end exclusive). */
export interface LocatedMacro {
  start: number;
  end: number;
  token: MacroToken;
}

export interface MacroProblem {
  problem: string;
  position: number;
}

/** The formats whose text may hold macros; base64 text is opaque. */
export type MacroFormat = 'text' | 'hex' | 'packet-sender';

export const defaultDateFormat = 'YYYY-MM-DD';
export const defaultTimeFormat = 'HH:mm:ss';
const maxRandomBytes = 1024;

/** Packet Sender's macros, accepted as they are written there. */
const packetSenderAliases: Record<string, MacroToken> = {
  DATE: { kind: 'date', format: defaultDateFormat },
  TIME: { kind: 'time', format: defaultTimeFormat },
  UNIXTIME: { kind: 'unix' },
  COUNTER: { kind: 'counter', start: 0, step: 1, width: 0, scope: 'session' },
  RANDOM: { kind: 'random-number' },
  UNIQUE: { kind: 'uuid' },
};

const macroNames = new Set([
  'counter',
  'date',
  'time',
  'unix',
  'unix_ms',
  'random',
  'uuid',
  'seq',
  ...checksumNames,
]);

/** The names a payload may use, for hints. */
export const macroHelp =
  '{counter[:start=0,step=1,width=4,global]} {date[:YYYY-MM-DD]} {time[:HH:mm:ss.SSS]} {unix} {unix_ms} {random:N} {uuid} {seq}; ' +
  `checksums {${checksumNames.join('} {')}} with be/le, from=N, to=N`;

const aliasPattern = /\{\{([A-Z]+)\}\}/y;
const macroPattern = /\{([a-z0-9_-]+)(?::([^{}]*))?\}/y;

function integerArgument(value: string, name: string, min: number, max: number): number | string {
  if (!/^-?\d+$/.test(value)) return `${name}=${value} is not a whole number`;
  const number = Number(value);
  if (number < min || number > max) return `${name} must be from ${min} to ${max}`;
  return number;
}

/** Reads a macro's arguments; a string is what is wrong with them. */
function macroToken(name: string, argumentText: string | undefined): MacroToken | string {
  const args = argumentText === undefined || argumentText === '' ? [] : argumentText.split(',');
  switch (name) {
    case 'date':
    case 'time':
      return {
        kind: name,
        format:
          argumentText === undefined || argumentText === ''
            ? name === 'date'
              ? defaultDateFormat
              : defaultTimeFormat
            : argumentText,
      };
    case 'unix':
    case 'unix_ms':
    case 'uuid':
    case 'seq':
      return args.length === 0 ? { kind: name } : `{${name}} takes no arguments`;
    case 'random': {
      if (args.length !== 1) return '{random:N} needs the number of bytes, e.g. {random:4}';
      const bytes = integerArgument(args[0]!.trim(), 'N', 1, maxRandomBytes);
      return typeof bytes === 'string' ? `{random:N}: ${bytes}` : { kind: 'random', bytes };
    }
    case 'counter': {
      const token = {
        kind: 'counter' as const,
        start: 0,
        step: 1,
        width: 0,
        scope: 'session' as 'session' | 'global',
      };
      for (const raw of args) {
        const arg = raw.trim();
        if (arg === 'global' || arg === 'session') {
          token.scope = arg;
          continue;
        }
        const [key, value = ''] = arg.split('=', 2) as [string, string?];
        if (key !== 'start' && key !== 'step' && key !== 'width')
          return `{counter}: unknown argument "${arg}" (start=, step=, width=, global)`;
        const number =
          key === 'width'
            ? integerArgument(value, key, 0, 20)
            : integerArgument(value, key, -1_000_000_000, 1_000_000_000);
        if (typeof number === 'string') return `{counter}: ${number}`;
        token[key] = number;
      }
      return token;
    }
    default: {
      const algorithm = checksums[name]!;
      const token: Extract<MacroToken, { kind: 'checksum' }> = {
        kind: 'checksum',
        algorithm,
        order: algorithm.order,
        from: 0,
        to: null,
      };
      for (const raw of args) {
        const arg = raw.trim();
        if (arg === 'be' || arg === 'le') {
          token.order = arg;
          continue;
        }
        const [key, value = ''] = arg.split('=', 2) as [string, string?];
        if (key !== 'from' && key !== 'to')
          return `{${name}}: unknown argument "${arg}" (be, le, from=N, to=N)`;
        const number = integerArgument(value, key, 0, 16 * 1024 * 1024);
        if (typeof number === 'string') return `{${name}}: ${number}`;
        token[key] = number;
      }
      if (token.to !== null && token.to < token.from)
        return `{${name}}: to=${token.to} is before from=${token.from}`;
      return token;
    }
  }
}

/**
 * Finds the macros in a payload's text. In the text notations a backslash
 * takes the next character with it, so `\{seq}` stays text.
 */
export function findMacros(text: string, format: MacroFormat): LocatedMacro[] | MacroProblem {
  const found: LocatedMacro[] = [];
  const escapes = format !== 'hex';
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (escapes && code === 0x5c) {
      index++;
      continue;
    }
    if (code !== 0x7b) continue;
    aliasPattern.lastIndex = index;
    const alias = aliasPattern.exec(text);
    const aliased = alias === null ? undefined : packetSenderAliases[alias[1]!];
    if (alias !== null && aliased !== undefined) {
      found.push({ start: index, end: index + alias[0].length, token: aliased });
      index += alias[0].length - 1;
      continue;
    }
    macroPattern.lastIndex = index;
    const match = macroPattern.exec(text);
    if (match === null || !macroNames.has(match[1]!)) continue;
    const token = macroToken(match[1]!, match[2]);
    if (typeof token === 'string')
      return { problem: `${token} (the macro at position ${index + 1})`, position: index + 1 };
    found.push({ start: index, end: index + match[0].length, token });
    index += match[0].length - 1;
  }
  return found;
}

/** The text with every macro blanked to spaces: same length, so positions in messages hold. */
export function blankMacros(text: string, macros: readonly LocatedMacro[]): string {
  if (macros.length === 0) return text;
  let out = '';
  let cursor = 0;
  for (const macro of macros) {
    out += text.slice(cursor, macro.start) + ' '.repeat(macro.end - macro.start);
    cursor = macro.end;
  }
  return out + text.slice(cursor);
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** A local date or time in a format of YYYY, YY, MM, DD, HH, mm, ss and SSS. */
export function formatDateTime(date: Date, format: string): string {
  return format.replace(/YYYY|YY|MM|DD|HH|mm|ss|SSS/g, (part) => {
    switch (part) {
      case 'YYYY':
        return pad(date.getFullYear(), 4);
      case 'YY':
        return pad(date.getFullYear() % 100, 2);
      case 'MM':
        return pad(date.getMonth() + 1, 2);
      case 'DD':
        return pad(date.getDate(), 2);
      case 'HH':
        return pad(date.getHours(), 2);
      case 'mm':
        return pad(date.getMinutes(), 2);
      case 'ss':
        return pad(date.getSeconds(), 2);
      default:
        return pad(date.getMilliseconds(), 3);
    }
  });
}

/** A counter's value as text: zero-padded to its width, the sign before the digits. */
export function counterText(value: number, width: number): string {
  const digits = pad(Math.abs(value), width);
  return value < 0 ? `-${digits}` : digits;
}
