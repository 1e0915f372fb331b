import { z } from 'zod';

/**
 * Every error code there is: one closed set. Nothing in src/ writes a code as a
 * string literal; it names one of these.
 */
export const ErrorCode = {
  invalidArgs: 'ERR_INVALID_ARGS',
  unknownCommand: 'ERR_UNKNOWN_COMMAND',
  forbiddenSender: 'ERR_FORBIDDEN_SENDER',
  engineClosed: 'ERR_ENGINE_CLOSED',
  internal: 'ERR_INTERNAL',
  lookupNotFound: 'ERR_LOOKUP_NOT_FOUND',
  lookupNoData: 'ERR_LOOKUP_NO_DATA',
  lookupTimeout: 'ERR_LOOKUP_TIMEOUT',
  lookupRefused: 'ERR_LOOKUP_REFUSED',
  lookupUnreachable: 'ERR_LOOKUP_UNREACHABLE',
  lookupServerFailure: 'ERR_LOOKUP_SERVER_FAILURE',
  lookupBadInput: 'ERR_LOOKUP_BAD_INPUT',
  lookupFailed: 'ERR_LOOKUP_FAILED',
  lookupMismatchedReply: 'ERR_LOOKUP_MISMATCHED_REPLY',
  lookupTruncated: 'ERR_LOOKUP_TRUNCATED',
  serviceNotFound: 'ERR_SERVICE_NOT_FOUND',
  socketRefused: 'ERR_SOCKET_REFUSED',
  socketTimeout: 'ERR_SOCKET_TIMEOUT',
  socketUnreachable: 'ERR_SOCKET_UNREACHABLE',
  socketNameNotFound: 'ERR_SOCKET_NAME_NOT_FOUND',
  socketAddressInUse: 'ERR_SOCKET_ADDRESS_IN_USE',
  socketAddressNotAvailable: 'ERR_SOCKET_ADDRESS_NOT_AVAILABLE',
  socketReset: 'ERR_SOCKET_RESET',
  socketClosed: 'ERR_SOCKET_CLOSED',
  socketFailed: 'ERR_SOCKET_FAILED',
  sessionNotFound: 'ERR_SESSION_NOT_FOUND',
  sessionNotConnected: 'ERR_SESSION_NOT_CONNECTED',
  /** A send past the session's write queue limit: the peer is not reading fast enough. */
  sendQueueFull: 'ERR_SEND_QUEUE_FULL',
  /** A send that waited for room in the write queue was called off (a file send cancelled). */
  sendCancelled: 'ERR_SEND_CANCELLED',
  /** The engine holds as many sessions as it allows; close some first. */
  tooManySessions: 'ERR_TOO_MANY_SESSIONS',
  /** As many lookups are running as the engine allows; wait for some to finish. */
  tooManyLookups: 'ERR_TOO_MANY_LOOKUPS',
  /** An export is already being read by this caller, or read out of order. */
  exportBusy: 'ERR_EXPORT_BUSY',
  exportNotFound: 'ERR_EXPORT_NOT_FOUND',
  exportTooLarge: 'ERR_EXPORT_TOO_LARGE',
  /** The session's kind cannot do what was asked (a datagram address on a TCP client). */
  sessionUnsupported: 'ERR_SESSION_UNSUPPORTED',
  /** A saved settings file failed its schema and was moved aside. */
  settingsCorrupt: 'ERR_SETTINGS_CORRUPT',
  /** Saving settings to the data directory failed. */
  settingsWriteFailed: 'ERR_SETTINGS_WRITE_FAILED',
  // UDP sockets
  /** The OS refused for lack of permission: a port below 1024, or broadcast without SO_BROADCAST. */
  socketPermissionDenied: 'ERR_SOCKET_PERMISSION_DENIED',
  /** A datagram larger than UDP can carry or the path allows (EMSGSIZE). */
  socketMessageTooLong: 'ERR_SOCKET_MESSAGE_TOO_LONG',
  /** A datagram with nowhere to go: no destination and no connected peer. */
  socketNoDestination: 'ERR_SOCKET_NO_DESTINATION',
  /** A multicast join or leave the OS refused. */
  multicastFailed: 'ERR_MULTICAST_FAILED',
  /** The page lost its connection to the engine (browser mode). */
  disconnected: 'ERR_DISCONNECTED',
  /** Browser mode refused another page: it serves a bounded number at once. */
  tooManyPages: 'ERR_TOO_MANY_PAGES',
  /** A call too large for one browser-mode frame. */
  frameTooLarge: 'ERR_FRAME_TOO_LARGE',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const errorCodes = Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]];

/** The one error shape that crosses every boundary. */
export const ErrorEnvelope = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>;

/** What a call returns over either transport, before the renderer unwraps it. */
export type CallEnvelope = { ok: true; result: unknown } | { ok: false; error: ErrorEnvelope };

/** A coded error: the engine throws these, the renderer gets them back as these. */
export class SockscopeError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'SockscopeError';
    this.code = code;
    this.details = details;
  }

  toEnvelope(): ErrorEnvelope {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static fromEnvelope(envelope: ErrorEnvelope): SockscopeError {
    return new SockscopeError(envelope.code, envelope.message, envelope.details);
  }
}

/** Any thrown value as an envelope; unknown errors keep their message but get ERR_INTERNAL. */
export function toErrorEnvelope(error: unknown): ErrorEnvelope {
  if (error instanceof SockscopeError) return error.toEnvelope();
  const message = error instanceof Error ? error.message : String(error);
  return { code: ErrorCode.internal, message: `Internal error: ${message}` };
}
