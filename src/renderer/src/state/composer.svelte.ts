import type {
  Charset,
  CommandInput,
  LineEnding,
  PayloadFormat,
  PeerTargets,
} from '@shared/contract';
import { toBase64 } from '@shared/codecs/payload';
import { api } from '../api';
import { maxRememberedText } from '@shared/contract';
import { settings } from './settings.svelte';

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
  error: string | null;
  done: boolean;
}

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

/** A file sent as datagrams: the socket, destination, size and pacing. */
type DatagramFileSend = Omit<CommandInput<'udp.sendDatagrams'>, 'payload'>;

/** A file goes out in pieces this big, each awaited, so progress is real and cancel is quick. */
export const fileChunkBytes = 64 * 1024;

/** The send composer's draft, its history and any file being sent. */
class ComposerState {
  draft = $state<DraftPayload>({ format: 'text', text: '', charset: 'utf-8', lineEnding: 'none' });
  repeatEveryMs = $state('1000');
  repeatTimes = $state('0');
  /** Position while walking the history with the arrow keys; -1 = the live draft. */
  historyIndex = $state(-1);
  file = $state<FileSend | null>(null);
  private liveDraft: DraftPayload | null = null;

  /** Sent payloads, newest first; the engine keeps them across restarts. */
  get history(): readonly DraftPayload[] {
    return settings.values.sendHistory ?? [];
  }

  remember(payload: DraftPayload): void {
    // A huge payload is sent but not kept: the history is for recall, not storage.
    if (payload.text.length <= maxRememberedText)
      settings.remember({ list: 'sendHistory', entry: { ...payload } });
    this.historyIndex = -1;
    this.liveDraft = null;
  }

  /** Steps back (older) or forward (newer) through sent payloads. */
  recall(step: 1 | -1): boolean {
    const next = this.historyIndex + step;
    if (next < -1 || next >= this.history.length) return false;
    if (this.historyIndex === -1) this.liveDraft = { ...this.draft };
    this.historyIndex = next;
    const entry = next === -1 ? this.liveDraft : this.history[next];
    if (entry) this.draft = { ...entry };
    return true;
  }

  /**
   * Streams a file to the session in chunks; progress and cancel are live. A server's
   * file goes to `destination.peers`; with `datagrams`, each chunk is a whole number of
   * datagrams the engine sends paced.
   */
  async sendFile(
    sessionId: string,
    file: File,
    destination: { peers?: PeerTargets } = {},
    datagrams?: DatagramFileSend,
  ): Promise<void> {
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
    };
    this.file = job;
    const live = (): FileSend => this.file ?? job;
    try {
      while (live().sent < file.size && !live().cancelled) {
        const chunk = new Uint8Array(
          await file.slice(live().sent, live().sent + chunkBytes).arrayBuffer(),
        );
        const payload = { format: 'base64' as const, text: toBase64(chunk) };
        if (datagrams === undefined)
          await api.call('session.send', { sessionId, payload, ...destination });
        else await api.call('udp.sendDatagrams', { ...datagrams, payload });
        live().sent += chunk.byteLength;
      }
      if (!live().cancelled) live().done = true;
    } catch (error) {
      live().error = error instanceof Error ? error.message : String(error);
    }
  }

  cancelFile(): void {
    if (this.file !== null) this.file.cancelled = true;
  }
}

export const composer = new ComposerState();
