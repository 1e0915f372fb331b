import type {
  Direction,
  MessageParams,
  SessionEventKind,
  SocketAddress,
} from '@shared/contract/log';
import type { Charset } from '@shared/contract/payload';
import type { SessionInfo } from '@shared/contract/sessions';

/** What the log needs to know of a session to file its records. */
export interface RecordingSession {
  readonly id: string;
  /** getsockname / getpeername, null before connecting. Read on every packet: no allocation. */
  readonly local: SocketAddress | null;
  readonly remote: SocketAddress | null;
  /** The charset its text was last sent in, filed with each record; null before any text. */
  readonly charset: Charset | null;
  info(): SessionInfo;
}

/** Where sessions report: packets and events into the log, state changes to the UI. */
export interface SessionSink {
  record(
    session: RecordingSession,
    direction: Direction,
    bytes: Uint8Array,
    event: SessionEventKind | null,
    message: string | null,
    params?: MessageParams,
  ): void;
  changed(session: RecordingSession): void;
}
