/**
 * A payload read once and filled in per send: the literal text is encoded when
 * the payload is accepted, macros and checksums when each copy goes out. The
 * engine sends with it; the composer's preview shows what it expands to.
 */
import { ErrorCode, SockscopeError } from '../errors';
import { checksumBytes } from './checksums';
import type { MacroToken } from './macros';
import { blankMacros, counterText, findMacros, formatDateTime } from './macros';
import type { PayloadInput, TextEncoderFunction } from './payload';
import { concatenate, encodePayload, payloadLineEnding } from './payload';

/** What one send's macros read: the clock, the counters, this send's number, randomness. */
export interface MacroContext {
  now: Date;
  /** How many earlier sends in this scope used `{counter}`: its value is start + step × this. */
  counterIndex(scope: 'session' | 'global'): number;
  /** This send's number in its run (a repeat's tick, a heartbeat's beat), from 1. */
  seq: number;
  randomBytes(count: number): Uint8Array;
  uuid(): string;
}

type Piece = Uint8Array | MacroToken;

const asciiEncoder = new TextEncoder();

/** A context from the runtime's own clock and crypto, counters at zero: a preview's. */
export function defaultMacroContext(): MacroContext {
  return {
    now: new Date(),
    counterIndex: () => 0,
    seq: 1,
    randomBytes: (count) => globalThis.crypto.getRandomValues(new Uint8Array(count)),
    uuid: () => globalThis.crypto.randomUUID(),
  };
}

export class PayloadTemplate {
  /** The counter scopes this payload uses; the sender advances them after each send. */
  readonly counterScopes: ReadonlySet<'session' | 'global'>;

  constructor(
    private readonly pieces: readonly Piece[],
    private readonly ending: Uint8Array,
  ) {
    const scopes = new Set<'session' | 'global'>();
    for (const piece of pieces)
      if (!(piece instanceof Uint8Array) && piece.kind === 'counter') scopes.add(piece.scope);
    this.counterScopes = scopes;
  }

  /** True when every send is the same bytes (no macro). */
  get constant(): boolean {
    return this.pieces.every((piece) => piece instanceof Uint8Array);
  }

  /** The bytes of one send; throws a coded error when a checksum's range reaches past it. */
  expand(context: MacroContext): Uint8Array {
    const parts: Uint8Array[] = [];
    let length = 0;
    for (const piece of this.pieces) {
      const bytes = piece instanceof Uint8Array ? piece : macroBytes(piece, context, parts, length);
      parts.push(bytes);
      length += bytes.length;
    }
    parts.push(this.ending);
    return concatenate(parts);
  }
}

function macroBytes(
  token: MacroToken,
  context: MacroContext,
  before: readonly Uint8Array[],
  length: number,
): Uint8Array {
  switch (token.kind) {
    case 'counter': {
      const value = token.start + token.step * context.counterIndex(token.scope);
      return asciiEncoder.encode(counterText(value, token.width));
    }
    case 'date':
    case 'time':
      return asciiEncoder.encode(formatDateTime(context.now, token.format));
    case 'unix':
      return asciiEncoder.encode(String(Math.floor(context.now.getTime() / 1000)));
    case 'unix_ms':
      return asciiEncoder.encode(String(context.now.getTime()));
    case 'uuid':
      return asciiEncoder.encode(context.uuid());
    case 'seq':
      return asciiEncoder.encode(String(context.seq));
    case 'random-number': {
      // Packet Sender's {{RANDOM}} is a number, like Qt's qrand(): 0 to 32767.
      const [high = 0, low = 0] = context.randomBytes(2);
      return asciiEncoder.encode(String(((high << 8) | low) & 0x7fff));
    }
    case 'random':
      return context.randomBytes(token.bytes);
    case 'checksum': {
      const to = token.to ?? length;
      if (to > length)
        throw new SockscopeError(
          ErrorCode.invalidArgs,
          `payload.text: {${token.algorithm.name}} covers bytes ${token.from} to ${to}, but only ${length} come before it`,
          { from: token.from, to, available: length },
        );
      const covered = concatenate(before).subarray(token.from, to);
      return checksumBytes(token.algorithm, token.algorithm.compute(covered), token.order);
    }
  }
}

/**
 * Reads a payload once: refuses what cannot be read (positions in the typed
 * text, as for a payload without macros) and encodes the literal text between
 * the macros in the payload's charset.
 */
export function compilePayload(
  payload: PayloadInput,
  encodeText: TextEncoderFunction,
): PayloadTemplate {
  const ending = payloadLineEnding(payload);
  if (payload.format === 'base64')
    return new PayloadTemplate(
      [encodePayload({ ...payload, lineEnding: 'none' }, encodeText)],
      ending,
    );
  const macros = findMacros(payload.text, payload.format);
  if (!Array.isArray(macros))
    throw new SockscopeError(ErrorCode.invalidArgs, `payload.text: ${macros.problem}`, {
      position: macros.position,
    });
  const literal = { ...payload, lineEnding: 'none' as const };
  // The whole text with macros blanked: what cannot be read is named where it was typed.
  const whole = encodePayload({ ...literal, text: blankMacros(payload.text, macros) }, encodeText);
  if (macros.length === 0) return new PayloadTemplate([whole], ending);
  const pieces: Piece[] = [];
  let cursor = 0;
  for (const macro of macros) {
    if (macro.start > cursor)
      pieces.push(
        encodePayload({ ...literal, text: payload.text.slice(cursor, macro.start) }, encodeText),
      );
    pieces.push(macro.token);
    cursor = macro.end;
  }
  if (cursor < payload.text.length)
    pieces.push(encodePayload({ ...literal, text: payload.text.slice(cursor) }, encodeText));
  return new PayloadTemplate(pieces, ending);
}
