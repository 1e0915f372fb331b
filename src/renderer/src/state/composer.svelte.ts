import type { SockscopeApi } from '@shared/api';
import type { Charset, CommandInput, LineEnding, PayloadFormat } from '@shared/contract';
import { toBase64 } from '@shared/codecs/payload';
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
      lineEnding: this.format === 'text' && this.appendLineEnding ? this.lineEnding : 'none',
    };
  }

  /** Puts a payload back in the draft (history recall). */
  fill(payload: DraftPayload): void {
    this.format = payload.format;
    this.text = payload.text;
    this.charset = payload.charset;
    if (payload.format === 'text') {
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

  /** Sends the session's draft once; true when the engine took it. */
  send(sessionId: string): Promise<boolean> {
    const composer = this.of(sessionId);
    return this.submit(composer, 'session.send', { sessionId, payload: composer.payload() });
  }

  /** Timed send on: the draft goes out every `everyMs`, `times` times (0 = until stopped). */
  startTimed(sessionId: string): Promise<boolean> {
    const composer = this.of(sessionId);
    return this.submit(composer, 'session.repeat', {
      sessionId,
      payload: composer.payload(),
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

  /** Streams a file to the session in chunks; progress and cancel are live. */
  async sendFile(sessionId: string, file: File): Promise<void> {
    const job: FileSend = {
      sessionId,
      name: file.name,
      size: file.size,
      sent: 0,
      cancelled: false,
      error: null,
      done: false,
    };
    this.file = job;
    const live = (): FileSend => this.file ?? job;
    try {
      while (live().sent < file.size && !live().cancelled) {
        const chunk = new Uint8Array(
          await file.slice(live().sent, live().sent + fileChunkBytes).arrayBuffer(),
        );
        await this.engine.call('session.send', {
          sessionId,
          payload: { format: 'base64', text: toBase64(chunk) },
        });
        live().sent += chunk.byteLength;
      }
      if (!live().cancelled) live().done = true;
    } catch (error) {
      live().error = failureOf(error);
    }
  }

  cancelFile(): void {
    if (this.file !== null) this.file.cancelled = true;
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

export const composer = new ComposerState(api, sessions, settings);
