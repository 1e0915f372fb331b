import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { RecordType } from 'dns-packet';
import type { z } from 'zod';
import type { DnsMessage, DnsNote, DnsQueryArgs, DnsQueryResult } from '@shared/contract/dns';
import { ErrorCode, SockscopeError } from '@shared/errors';
import { elapsedSince } from '../clock';
import { lookupError, osCodeMeanings } from '../lookups/lookup-errors';
import type { LookupFailureContext } from '../lookups/lookup-errors';
import { ExchangeCancelled, ExchangeTimeout, TruncatedUnfetchable } from './client';
import type { ServerAddress, DnsClient } from './client';
import { encodeQuery } from './wire';

// A record query to a server the user named, through our own DNS client:
// the reply comes back whole (header, every section, TTLs), and rcodes, spoofed
// replies and truncation are said in words.

type DnsArgs = z.output<typeof DnsQueryArgs>;

export interface NamedServer extends ServerAddress {
  /** "ip:port" or "[v6]:port". */
  label: string;
}

const rcodeMeanings: Record<string, { code: ErrorCode; words: string }> = {
  FORMERR: {
    code: ErrorCode.lookupServerFailure,
    words: 'the server could not understand the query',
  },
  SERVFAIL: { code: ErrorCode.lookupServerFailure, words: 'the server could not resolve the name' },
  NXDOMAIN: { code: ErrorCode.lookupNotFound, words: 'the name does not exist' },
  NOTIMP: {
    code: ErrorCode.lookupServerFailure,
    words: 'the server does not implement this kind of query',
  },
  REFUSED: { code: ErrorCode.lookupRefused, words: 'it will not serve this query to us' },
};

/** The rcode in words; the whole reply rides along in details, so it can be shown as dig shows it. */
function rcodeError(
  message: DnsMessage,
  context: LookupFailureContext,
  server: string,
  reply: DnsQueryResult,
): SockscopeError {
  const tag = `(${message.rcode}, rcode ${message.rcodeValue})`;
  const meaning = rcodeMeanings[message.rcode];
  const details = {
    osCode: null,
    rcode: message.rcode,
    rcodeValue: message.rcodeValue,
    server,
    hostname: context.hostname,
    reply,
  };
  if (meaning === undefined)
    return new SockscopeError(
      ErrorCode.lookupFailed,
      `${context.action} failed: the server answered ${message.rcode} ${tag}`,
      details,
    );
  const text =
    meaning.code === ErrorCode.lookupNotFound
      ? `No ${context.missing}: ${meaning.words} ${tag}`
      : meaning.code === ErrorCode.lookupRefused
        ? `DNS server ${server} refused the query: ${meaning.words} ${tag}`
        : `${context.action} failed: the server answered ${message.rcode}: ${meaning.words} ${tag}`;
  return new SockscopeError(meaning.code, text, details);
}

function ignoredNote(ignored: readonly string[]): string {
  const first = ignored[0] ?? '';
  const more = ignored.length > 1 ? ` and ${ignored.length - 1} more` : '';
  return `Ignored ${first}${more}: a reply that does not match the query is a sign of spoofing or a confused server`;
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

function exchangeError(
  error: unknown,
  args: DnsArgs,
  context: LookupFailureContext,
  server: string,
): SockscopeError {
  const base = { server, hostname: context.hostname };
  if (error instanceof ExchangeTimeout) {
    const tries =
      error.transport === 'tcp'
        ? `over TCP within ${args.timeoutMs} ms`
        : `to ${error.attempts} ${error.attempts === 1 ? 'try' : 'tries'} of ${args.timeoutMs} ms each over UDP`;
    if (error.ignored.length > 0)
      return new SockscopeError(
        ErrorCode.lookupMismatchedReply,
        `${context.action} got no matching reply ${tries}. ${ignoredNote(error.ignored)}`,
        { ...base, osCode: null, ignored: [...error.ignored] },
      );
    return new SockscopeError(
      ErrorCode.lookupTimeout,
      `${context.action} timed out: no reply ${tries} (ETIMEOUT)`,
      { ...base, osCode: 'ETIMEOUT', attempts: error.attempts },
    );
  }
  if (error instanceof TruncatedUnfetchable) {
    const osCode = codeOf(error.reason);
    const words =
      osCode === undefined
        ? exchangeError(error.reason, { ...args, transport: 'tcp' }, context, server).message
        : (osCodeMeanings[osCode]?.words ?? osCode);
    return new SockscopeError(
      ErrorCode.lookupTruncated,
      `The answer from ${server} did not fit in UDP (TC set) and TCP could not fetch it: ${words}${osCode === undefined ? '' : ` (${osCode})`}`,
      { ...base, osCode: osCode ?? null },
    );
  }
  return lookupError(error, context);
}

export async function queryServer(
  client: DnsClient,
  args: DnsArgs,
  server: NamedServer,
  queriedName: string,
  context: LookupFailureContext,
): Promise<DnsQueryResult> {
  const started = performance.now();
  const id = randomInt(0, 0x10000);
  const query = encodeQuery({
    id,
    name: queriedName,
    type: args.type as RecordType,
    recursionDesired: args.recursionDesired,
    ednsBufferSize: args.ednsBufferSize,
    dnssecOk: args.dnssecOk,
  });
  const reply = await client
    .exchange({
      server,
      query,
      expected: { id, name: queriedName, type: args.type },
      timeoutMs: args.timeoutMs,
      retries: args.retries,
      transport: args.transport,
    })
    .catch((error: unknown) => {
      throw error instanceof ExchangeCancelled
        ? error
        : exchangeError(error, args, context, server.label);
    });
  const { message } = reply;
  const noError = message.rcode === 'NOERROR';
  const notes: DnsNote[] = [];
  if (reply.truncatedOverUdp)
    notes.push({
      kind: 'truncated-over-udp',
      text: 'The UDP answer was truncated (TC); the full answer came over TCP.',
      params: {},
    });
  if (reply.ignored.length > 0)
    notes.push({
      kind: 'ignored-replies',
      text: ignoredNote(reply.ignored),
      params: { count: reply.ignored.length, first: reply.ignored[0] ?? '' },
    });
  if (noError && message.answer.length === 0)
    notes.push(
      message.authority.length > 0
        ? {
            kind: 'see-authority',
            text: 'The answer section is empty (NOERROR); see the authority section.',
            params: {},
          }
        : {
            kind: 'empty-answer',
            text: `The answer section is empty (NOERROR): the name exists but has no ${args.type} records.`,
            params: { type: args.type },
          },
    );
  const result: DnsQueryResult = {
    name: args.name,
    queriedName,
    type: args.type,
    path: 'dns-client',
    server: server.label,
    transport: reply.transport,
    records: message.answer,
    message,
    replyBytes: reply.bytes.length,
    attempts: reply.attempts,
    notes,
    elapsedMs: elapsedSince(started),
  };
  if (!noError) throw rcodeError(message, context, server.label, result);
  return result;
}
