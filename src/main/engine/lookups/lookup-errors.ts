import { ErrorCode, SockscopeError } from '@shared/errors';

// Turns what node:dns throws (getaddrinfo / getnameinfo codes and c-ares codes)
// into a SockscopeError whose message says what failed and why in plain words,
// with the OS code kept beside it for people who search for it.

interface OsCodeMeaning {
  code: ErrorCode;
  words: string;
}

const notFound = (words: string): OsCodeMeaning => ({ code: ErrorCode.lookupNotFound, words });
const noData = (words: string): OsCodeMeaning => ({ code: ErrorCode.lookupNoData, words });
const timeout = (words: string): OsCodeMeaning => ({ code: ErrorCode.lookupTimeout, words });
const refused = (words: string): OsCodeMeaning => ({ code: ErrorCode.lookupRefused, words });
const unreachable = (words: string): OsCodeMeaning => ({
  code: ErrorCode.lookupUnreachable,
  words,
});
const serverFailure = (words: string): OsCodeMeaning => ({
  code: ErrorCode.lookupServerFailure,
  words,
});
const badInput = (words: string): OsCodeMeaning => ({ code: ErrorCode.lookupBadInput, words });
const failed = (words: string): OsCodeMeaning => ({ code: ErrorCode.lookupFailed, words });

/** Every OS / resolver code node:dns is known to report, in words. */
export const osCodeMeanings: Readonly<Record<string, OsCodeMeaning>> = {
  // Answers that say "no".
  ENOTFOUND: notFound('the name does not exist'),
  EAI_NONAME: notFound('the name does not exist'),
  ENODATA: noData('the name exists but has no records of that type'),
  EAI_NODATA: noData('the name exists but has no address'),
  EAI_ADDRFAMILY: noData('the name has no address of the requested family'),
  // Servers that did not help.
  ETIMEOUT: timeout('the DNS server did not answer in time'),
  ETIMEDOUT: timeout('the DNS server did not answer in time'),
  ECONNREFUSED: refused('nothing is listening for DNS queries at that address and port'),
  EREFUSED: refused('the server answered REFUSED (it will not serve this query to us)'),
  ESERVFAIL: serverFailure('the server answered SERVFAIL (it could not resolve the name)'),
  EFORMERR: serverFailure('the server says the query was malformed (FORMERR)'),
  ENOTIMP: serverFailure('the server does not implement this kind of query (NOTIMP)'),
  EBADRESP: serverFailure('the reply from the server could not be understood'),
  ECONNRESET: serverFailure('the connection to the server was reset'),
  EOF: serverFailure('the server closed the connection before answering'),
  // glibc's EAI_AGAIN covers both a SERVFAIL and no answer at all.
  EAI_AGAIN: serverFailure(
    'temporary failure in name resolution (the DNS server failed or did not answer)',
  ),
  EAI_FAIL: serverFailure('non-recoverable failure in name resolution'),
  // The network in between.
  ENETUNREACH: unreachable('the network is unreachable'),
  EHOSTUNREACH: unreachable('the host is unreachable'),
  EADDRNOTAVAIL: unreachable('no local address can reach the server'),
  ENETDOWN: unreachable('the network is down'),
  // What we asked was wrong.
  EBADNAME: badInput('the name is not a valid domain name'),
  EBADQUERY: badInput('the query is malformed'),
  EBADFAMILY: badInput('the address family is not supported'),
  EBADSTR: badInput('a string in the query is malformed'),
  EBADHINTS: badInput('the lookup options are invalid'),
  EBADFLAGS: badInput('the lookup flags are invalid'),
  ENONAME: badInput('the host name is not a name'),
  EAI_FAMILY: badInput('the address family is not supported'),
  EAI_SERVICE: badInput('the service is not supported for this socket type'),
  EAI_SOCKTYPE: badInput('the socket type is not supported'),
  EAI_BADFLAGS: badInput('the lookup flags are invalid'),
  EINVAL: badInput('an argument is invalid'),
  // The machine itself.
  EFILE: failed('a resolver configuration file could not be read'),
  ENOMEM: failed('the system is out of memory'),
  EAI_MEMORY: failed('the system is out of memory'),
  EAI_OVERFLOW: failed('an answer was too long for the buffer'),
  EAI_SYSTEM: failed('a system error occurred'),
  ENOTINITIALIZED: failed('the resolver library is not initialized'),
  ECANCELLED: failed('the query was cancelled'),
  EDESTRUCTION: failed('the resolver was shut down during the query'),
};

export interface LookupFailureContext {
  /** What was not found, e.g. `address for "x"`; read as "No <missing>: …". */
  missing: string;
  /** What was being done, e.g. `DNS query MX for "x" to 127.0.0.1:53`. */
  action: string;
  /** The DNS server asked, as "ip:port", or "system". */
  server?: string;
  /** The time limit the caller set, for timeout messages. */
  timeoutMs?: number;
  /** The name asked about, kept in details when node's error lacks it. */
  hostname?: string;
  /** Replaces the words for "not found" where "the name does not exist" would be wrong. */
  notFoundWords?: string;
}

/** A plain Error carrying an OS-style code, for failures we detect ourselves. */
export function codedError(code: string, syscall: string): Error & { code: string } {
  return Object.assign(new Error(`${syscall} ${code}`), { code, syscall });
}

function stringProperty(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null || !(key in value)) return undefined;
  const property: unknown = (value as Record<string, unknown>)[key];
  return typeof property === 'string' ? property : undefined;
}

function serverName(server: string): string {
  return server === 'system' ? "The system's DNS server" : `DNS server ${server}`;
}

/** Converts anything a lookup threw into a SockscopeError; SockscopeErrors pass through. */
export function lookupError(error: unknown, context: LookupFailureContext): SockscopeError {
  if (error instanceof SockscopeError) return error;
  const osCode = stringProperty(error, 'code');
  const syscall = stringProperty(error, 'syscall');
  const details: Record<string, unknown> = { osCode: osCode ?? null };
  if (syscall !== undefined) details.syscall = syscall;
  const hostname = stringProperty(error, 'hostname') ?? context.hostname;
  if (hostname !== undefined) details.hostname = hostname;
  if (context.server !== undefined) details.server = context.server;

  if (osCode === undefined) {
    const text = error instanceof Error ? error.message : String(error);
    return new SockscopeError(ErrorCode.lookupFailed, `${context.action} failed: ${text}`, details);
  }
  // Node's own argument checks (ERR_INVALID_ARG_VALUE, …) say best what is wrong.
  if (osCode.startsWith('ERR_')) {
    const text = error instanceof Error ? error.message : osCode;
    return new SockscopeError(
      ErrorCode.lookupBadInput,
      `${context.action} failed: ${text} (${osCode})`,
      details,
    );
  }

  const meaning = osCodeMeanings[osCode] ?? failed('an unexpected resolver error');
  const tag = `(${osCode})`;
  let message: string;
  switch (meaning.code) {
    case ErrorCode.lookupNotFound:
      message = `No ${context.missing}: ${context.notFoundWords ?? meaning.words} ${tag}`;
      break;
    case ErrorCode.lookupNoData:
      message = `No ${context.missing}: ${meaning.words} ${tag}`;
      break;
    case ErrorCode.lookupTimeout:
      message =
        context.timeoutMs === undefined
          ? `${context.action} timed out: ${meaning.words} ${tag}`
          : `${context.action} timed out after ${context.timeoutMs} ms ${tag}`;
      break;
    case ErrorCode.lookupRefused:
      message =
        context.server === undefined
          ? `${context.action} was refused: ${meaning.words} ${tag}`
          : `${serverName(context.server)} refused the query: ${meaning.words} ${tag}`;
      break;
    default:
      message = `${context.action} failed: ${meaning.words} ${tag}`;
  }
  return new SockscopeError(meaning.code, message, details);
}
