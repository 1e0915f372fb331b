import type { MessageParams, SessionEventKind, SocketAddress } from '@shared/contract/log';
import type { Charset } from '@shared/contract/payload';
import type { SessionInfo } from '@shared/contract/sessions';

/** What the log needs to know of a session to file its records. */
export interface RecordingSession {
  readonly id: string;
  readonly transport: 'tcp' | 'udp';
  /** getsockname, null before binding. Read on every packet: no allocation. */
  readonly local: SocketAddress | null;
  /** Its one peer, where it has one (a TCP client or peer); events are filed with it. */
  readonly remote: SocketAddress | null;
  /** The charset its text was last sent in, filed with each record; null before any text. */
  readonly charset: Charset | null;
  info(): SessionInfo;
}

/**
 * Where sessions report. Two calls fill the log: a packet, with the peer of that
 * packet (a UDP socket or a server has many), and an event. A third tells the UI
 * that the session's state changed.
 */
export interface SessionSink {
  /**
   * One chunk sent or received. `bytes` may be a view into the session's read
   * buffer: the log copies what it keeps, and no one may hold the view after the call.
   * Returns the log's own copy, valid during the current call stack (the log recycles
   * its memory): an echo files the same bytes going out without a second copy.
   */
  packet(
    session: RecordingSession,
    direction: 'in' | 'out',
    bytes: Uint8Array,
    peer: SocketAddress | null,
    /** Why it was sent, when not by hand: the reply rule that fired. */
    tag?: string,
  ): Uint8Array;
  /**
   * Something that happened to the session: English words, the params the renderer
   * words it from in the user's language (null: show the English), and `peer` when
   * it concerns one of several (a server's refused client), else the session's own.
   */
  event(
    session: RecordingSession,
    kind: SessionEventKind,
    message: string,
    params?: MessageParams | null,
    peer?: SocketAddress | null,
  ): void;
  changed(session: { readonly id: string; info(): SessionInfo }): void;
}
