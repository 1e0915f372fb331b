import type { MessageParams } from '@shared/contract/log';
import { ErrorCode, SockscopeError } from '@shared/errors';

// What a socket's OS error means, in words, with the OS code kept beside it.

interface SocketErrorMeaning {
  code: ErrorCode;
  words: (where: string) => string;
}

const meanings: Readonly<Record<string, SocketErrorMeaning>> = {
  ECONNREFUSED: {
    code: ErrorCode.socketRefused,
    words: (where) => `Connection to ${where} refused: nothing is listening there`,
  },
  ETIMEDOUT: {
    code: ErrorCode.socketTimeout,
    words: (where) => `Connection to ${where} timed out`,
  },
  EHOSTUNREACH: {
    code: ErrorCode.socketUnreachable,
    words: (where) => `Host unreachable: no route to ${where}`,
  },
  ENETUNREACH: {
    code: ErrorCode.socketUnreachable,
    words: (where) => `Network unreachable: no network path to ${where}`,
  },
  ENETDOWN: {
    code: ErrorCode.socketUnreachable,
    words: (where) => `Network down: cannot reach ${where}`,
  },
  ENOTFOUND: {
    code: ErrorCode.socketNameNotFound,
    words: (where) => `Name not found: ${where} does not resolve to an address`,
  },
  EAI_AGAIN: {
    code: ErrorCode.socketNameNotFound,
    words: (where) => `Name lookup failed for ${where}: the DNS server failed or did not answer`,
  },
  EADDRINUSE: {
    code: ErrorCode.socketAddressInUse,
    words: () => 'Local address already in use: another socket holds that address and port',
  },
  EADDRNOTAVAIL: {
    code: ErrorCode.socketAddressNotAvailable,
    words: () => 'Local address not available: no interface on this machine has that address',
  },
  EACCES: {
    code: ErrorCode.socketPermissionDenied,
    words: () => 'Permission denied: ports below 1024 need privileges',
  },
  ECONNRESET: {
    code: ErrorCode.socketReset,
    words: (where) => `Connection reset by peer ${where}`,
  },
  EPIPE: {
    code: ErrorCode.socketClosed,
    words: (where) => `Broken pipe: ${where} closed the connection while we were writing`,
  },
  ECONNABORTED: {
    code: ErrorCode.socketReset,
    words: (where) => `Connection to ${where} aborted`,
  },
  EAFNOSUPPORT: {
    code: ErrorCode.socketFailed,
    words: () => 'Address family not supported on this machine',
  },
};

/** A socket error as a SockscopeError: what failed, why, and the OS code. */
export function socketError(error: unknown, where: string): SockscopeError {
  if (error instanceof SockscopeError) return error;
  const nodeError = error as NodeJS.ErrnoException;
  const osCode = typeof nodeError?.code === 'string' ? nodeError.code : 'UNKNOWN';
  const meaning = meanings[osCode];
  const details: Record<string, unknown> = { osCode, where };
  if (typeof nodeError?.syscall === 'string') details.syscall = nodeError.syscall;
  if (meaning !== undefined)
    return new SockscopeError(meaning.code, `${meaning.words(where)} (${osCode})`, details);
  const text = error instanceof Error ? error.message : String(error);
  return new SockscopeError(ErrorCode.socketFailed, `Socket error on ${where}: ${text}`, details);
}

/** Our own connect timeout, told apart from the kernel's. */
export function connectTimeoutError(where: string, timeoutMs: number): SockscopeError {
  return new SockscopeError(
    ErrorCode.socketTimeout,
    `Connection to ${where} timed out after ${timeoutMs} ms (no answer; our own connect timeout) (ETIMEDOUT)`,
    { osCode: 'ETIMEDOUT', where, timeoutMs },
  );
}

/** Our own deadline for looking up the host name, which runs before (and apart from) the connect. */
export function lookupTimeoutError(host: string, timeoutMs: number): SockscopeError {
  return new SockscopeError(
    ErrorCode.socketTimeout,
    `Looking up ${host} took longer than ${timeoutMs} ms, so the connect was not tried (our own timeout; the lookup and the connect each get it) (ETIMEDOUT)`,
    { osCode: 'ETIMEDOUT', timeoutMs, phase: 'lookup' },
  );
}

/** An error's code and its scalar details, for the renderer to word it. */
export function errorParams(error: SockscopeError): MessageParams {
  const params: MessageParams = { code: error.code };
  for (const [key, value] of Object.entries(error.details ?? {}))
    if (typeof value === 'string' || typeof value === 'number') params[key] = value;
  return params;
}

/** Why a server could not listen, in words naming the address, with the OS code. */
export function listenError(error: unknown, where: string): SockscopeError {
  const coded = socketError(error, where);
  const osCode = coded.details?.osCode;
  const words: Record<string, string> = {
    EADDRINUSE: 'address already in use: another socket holds that address and port',
    EACCES: 'permission denied: ports below 1024 need privileges',
    EADDRNOTAVAIL: 'address not available: no interface on this machine has that address',
    EAFNOSUPPORT: 'address family not supported on this machine',
  };
  const known = typeof osCode === 'string' ? words[osCode] : undefined;
  if (known === undefined) return coded;
  return new SockscopeError(
    coded.code,
    `Cannot listen on ${where}: ${known} (${String(osCode)})`,
    coded.details,
  );
}
