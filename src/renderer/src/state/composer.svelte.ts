import type { SockscopeApi } from '@shared/api';
import type {
  Charset,
  CommandInput,
  CommandResult,
  LineEnding,
  PayloadFormat,
  PeerTargets,
} from '@shared/contract';
import { toBase64 } from '@shared/codecs/payload';
import { ErrorCode } from '@shared/errors';
import { api } from '../api';
import { failureOf, refusal } from '../lib/failure';
import type { Failure } from '../lib/failure';
import { numberField, validateArgs } from '../lib/validate';
import { maxRememberedText } from '@shared/contract';
import { sessions } from './sessions.svelte';
import type { SessionsState } from './sessions.svelte';
import { settings } from './settings.svelte';
import type { SettingsState } from './settings.svelte';

/** A payload as it was sent (what the history keeps). */
export interface DraftPayload {
  format: PayloadFormat;
  text: string;
  charset: Charset;
  lineEnding: LineEnding;
}

export interface FileSend {
  sessionId: string;
  name: string;
  size: number;
  sent: number;
  cancelled: boolean;
  error: Failure | null;
  done: boolean;
  /** A piece has waited a while: the peer is not reading and the engine holds the rest. */
  waiting: boolean;
}

/** How long a file's piece may take before the file shows it is waiting for the peer. */
const fileWaitingAfterMs = 500;

/** A datagram destination as the form holds it (the port may not be a number yet). */
export interface TypedDestination {
  host: string;
  port: number;
}

/** How a UDP socket cuts a file into datagrams. */
export interface DatagramFileOptions {
  datagramBytes: number;
  pacingMs: number;
}

/**
 * Where a composer sends when not to the session's own peer: a UDP socket's
 * destination (and, for files, the datagram size and pacing), or a server's
 * chosen clients. A TCP client's sends have none.
 */
export interface SendTarget {
  to?: TypedDestination | undefined;
  datagrams?: DatagramFileOptions | undefined;
  peers?: PeerTargets | undefined;
}

/** The line ending is a text option: typed text (plain or Packet Sender's); hex and base64 are exact bytes. */
export function takesLineEnding(format: PayloadFormat): boolean {
  return format === 'text' || format === 'packet-sender';
}

/** A file goes out in pieces this big, each awaited, so progress is real and cancel is quick. */
export const fileChunkBytes = 64 * 1024;

/** One session's composer: its draft, its switches and what it last refused. */
export class SessionComposer {
  format = $state<PayloadFormat>('text');
  text = $state('');
  charset = $state<Charset>('utf-8');
  /** The line-ending switch (发送新行); it applies to text only. */
  appendLineEnding = $state(false);
  lineEnding = $state<Exclude<LineEnding, 'none'>>('crlf');
  /** Timed send (定时发送): every so many ms, so many times (0 = until stopped). */
  everyMs = $state('1000');
  times = $state('0');
  /** A refusal or failure of the last send from this composer. */
  failure = $state<Failure | null>(null);
  /** Position while walking the history with the arrow keys; -1 = the live draft. */
  historyIndex = -1;
  liveDraft: DraftPayload | null = null;

  /** What a send carries: the line ending only for text (hex and base64 are exact bytes). */
  payload(): DraftPayload {
    return {
      format: this.format,
      text: this.text,
      charset: this.charset,
      lineEnding: takesLineEnding(this.format) && this.appendLineEnding ? this.lineEnding : 'none',
    };
  }

  /** Puts a payload back in the draft (history recall). */
  fill(payload: DraftPayload): void {
    this.format = payload.format;
    this.text = payload.text;
    this.charset = payload.charset;
    if (takesLineEnding(payload.format)) {
      this.appendLineEnding = payload.lineEnding !== 'none';
      if (payload.lineEnding !== 'none') this.lineEnding = payload.lineEnding;
    }
  }
}

/** Every session's composer, the shared send history, and any file being sent. */
export class ComposerState {
  file = $state<FileSend | null>(null);
  // Not reactive itself (views create composers while rendering); each composer's fields are.
  private readonly bySession: Record<string, SessionComposer> = {};

  constructor(
    private readonly engine: SockscopeApi,
    private readonly sessionsState: SessionsState,
    private readonly saved: SettingsState,
  ) {}

  /** Sent payloads, newest first; the engine keeps them across restarts. */
  get history(): readonly DraftPayload[] {
    return this.saved.values.sendHistory ?? [];
  }

  /** The session's composer, made on first use; it outlives tab switches. */
  of(sessionId: string): SessionComposer {
    return (this.bySession[sessionId] ??= new SessionComposer());
  }

  /** Sends the session's draft once (to the target's destination, if any); true when the engine took it. */
  send(sessionId: string, target: SendTarget = {}): Promise<boolean> {
    const composer = this.of(sessionId);
    return this.submit(composer, 'session.send', {
      sessionId,
      payload: composer.payload(),
      ...destinationOf(target),
    });
  }

  /** Timed send on: the draft goes out every `everyMs`, `times` times (0 = until stopped). */
  startTimed(sessionId: string, target: SendTarget = {}): Promise<boolean> {
    const composer = this.of(sessionId);
    return this.submit(composer, 'session.repeat', {
      sessionId,
      payload: composer.payload(),
      ...destinationOf(target),
      intervalMs: numberField(composer.everyMs) as number,
      count: numberField(composer.times) ?? 0,
    });
  }

  /**
   * Checks a send against the contract first, then asks the engine; a refusal or
   * failure lands in the composer. True when the engine took it.
   */
  private async submit<K extends 'session.send' | 'session.repeat'>(
    composer: SessionComposer,
    command: K,
    args: CommandInput<K> & { payload: DraftPayload },
  ): Promise<boolean> {
    const problem = validateArgs(command, args);
    composer.failure = problem === null ? null : refusal(problem);
    if (problem !== null) return false;
    try {
      const result = await this.engine.call(command, args);
      if ('state' in result) this.sessionsState.upsert(result);
      this.remember(args.payload, composer);
      return true;
    } catch (error) {
      composer.failure = failureOf(error);
      return false;
    }
  }

  /** The bytes the session's draft expands to now (macros filled in, counters not advanced). */
  preview(sessionId: string): Promise<CommandResult<'payload.preview'>> {
    return this.engine.call('payload.preview', {
      sessionId,
      payload: this.of(sessionId).payload(),
    });
  }

  /**
   * Takes the composer's engine failure off it (a refused field stays beside its
   * field), for a view that shows such failures in its own alert (a server's).
   */
  takeEngineFailure(sessionId: string): Failure | null {
    const composer = this.of(sessionId);
    const failure = composer.failure;
    if (failure === null || failure.field != null) return null;
    composer.failure = null;
    return failure;
  }

  async stopTimed(sessionId: string): Promise<void> {
    await this.sessionsState.act('session.stopRepeat', sessionId);
  }

  /** Steps back (older) or forward (newer) through sent payloads. */
  recall(sessionId: string, step: 1 | -1): boolean {
    const composer = this.of(sessionId);
    const next = composer.historyIndex + step;
    if (next < -1 || next >= this.history.length) return false;
    if (composer.historyIndex === -1) composer.liveDraft = composer.payload();
    composer.historyIndex = next;
    const entry = next === -1 ? composer.liveDraft : this.history[next];
    if (entry) composer.fill(entry);
    return true;
  }

  /**
   * Streams a file to the session in chunks; progress and cancel are live. With the
   * target's `datagrams`, each chunk is a whole number of datagrams the engine sends
   * paced. False when the datagram settings were refused (the refusal is in the composer).
   */
  async sendFile(sessionId: string, file: File, target: SendTarget = {}): Promise<boolean> {
    const composer = this.of(sessionId);
    const datagrams =
      target.datagrams === undefined
        ? undefined
        : { sessionId, ...destinationOf(target), ...target.datagrams };
    if (datagrams !== undefined) {
      // The size and pacing are checked before any byte goes, with an empty stand-in payload.
      const problem = validateArgs('udp.sendDatagrams', {
        ...datagrams,
        payload: { format: 'hex', text: '' },
      });
      composer.failure = problem === null ? null : refusal(problem);
      if (problem !== null) return false;
    }
    const size = datagrams?.datagramBytes ?? 0;
    const chunkBytes =
      datagrams === undefined
        ? fileChunkBytes
        : size * Math.max(1, Math.floor(fileChunkBytes / size));
    const job: FileSend = {
      sessionId,
      name: file.name,
      size: file.size,
      sent: 0,
      cancelled: false,
      error: null,
      done: false,
      waiting: false,
    };
    this.file = job;
    // The reactive copy of this job: a later file replaces `this.file`, never this one's progress.
    const live = this.file;
    try {
      while (live.sent < file.size && !live.cancelled) {
        const chunk = new Uint8Array(
          await file.slice(live.sent, live.sent + chunkBytes).arrayBuffer(),
        );
        const payload = { format: 'base64' as const, text: toBase64(chunk) };
        // Paced datagrams take their pauses anyway: only time past those is waiting for room.
        const pacedMs =
          datagrams === undefined ? 0 : Math.ceil(chunk.byteLength / size) * datagrams.pacingMs;
        const waitingSoon = setTimeout(() => (live.waiting = true), fileWaitingAfterMs + pacedMs);
        try {
          // A full send queue pauses the file (the engine waits for room) instead of failing it.
          if (datagrams === undefined)
            await this.engine.call('session.send', {
              sessionId,
              payload,
              ...destinationOf(target),
              whenFull: 'wait',
            });
          else
            await this.engine.call('udp.sendDatagrams', {
              ...datagrams,
              payload,
              whenFull: 'wait',
            });
        } finally {
          clearTimeout(waitingSoon);
          live.waiting = false;
        }
        live.sent += chunk.byteLength;
      }
      if (!live.cancelled) live.done = true;
    } catch (error) {
      // A piece called off by the cancel is the cancel, not a failure.
      if (!(live.cancelled && failureOf(error).code === ErrorCode.sendCancelled))
        live.error = failureOf(error);
    }
    return true;
  }

  /**
   * Stops the file after the piece in flight; a piece still waiting for the peer to
   * read is called off in the engine, so nothing more of the file goes out.
   */
  cancelFile(): void {
    const file = this.file;
    if (file === null || file.done || file.cancelled) return;
    file.cancelled = true;
    void this.engine
      .call('session.cancelWaitingSends', { sessionId: file.sessionId })
      .catch(() => {});
  }

  /** Forgets a removed session's composer. */
  drop(sessionId: string): void {
    delete this.bySession[sessionId];
  }

  private remember(payload: DraftPayload, composer: SessionComposer): void {
    // A huge payload is sent but not kept: the history is for recall, not storage.
    if (payload.text.length <= maxRememberedText)
      this.saved.remember({ list: 'sendHistory', entry: { ...payload } });
    composer.historyIndex = -1;
    composer.liveDraft = null;
  }
}

/** The destination part of a send's arguments: none when the socket's own peer is meant. */
function destinationOf(target: SendTarget): { to?: TypedDestination; peers?: PeerTargets } {
  if (target.to !== undefined) return { to: target.to };
  return target.peers === undefined ? {} : { peers: target.peers };
}

export const composer = new ComposerState(api, sessions, settings);
