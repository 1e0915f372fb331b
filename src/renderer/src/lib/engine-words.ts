import type { MessageParams, SessionEventKind } from '@shared/contract';
import { ErrorCode } from '@shared/errors';
import { engineEn, problemPatterns } from './engine-messages';
import type { EngineMessageKey } from './engine-messages';

/** One language's wording of what the engine reports. */
export type EngineWords = Readonly<Record<EngineMessageKey, string>>;

/** An error as it reaches the renderer: code, the engine's English message, details. */
export interface CodedError {
  code: string;
  message: string;
  details?: Record<string, unknown> | undefined;
}

/** A log event as the log holds it. */
export interface EventRecord {
  event: SessionEventKind | null;
  message: string | null;
  params: MessageParams | null;
}

function isKey(words: EngineWords, key: string): key is EngineMessageKey {
  return Object.prototype.hasOwnProperty.call(words, key);
}

/** The template filled, or null when it asks for a param that is not there. */
function fill(template: string, params: Record<string, string | number>): string | null {
  let missing = false;
  const text = template.replace(/\{(\w+)\}/g, (_whole, name: string) => {
    const value = params[name];
    if (value === undefined) {
      missing = true;
      return '';
    }
    return String(value);
  });
  return missing ? null : text;
}

/** The first candidate key that exists and whose params are all there. */
function firstWording(
  words: EngineWords,
  candidates: readonly string[],
  params: Record<string, string | number>,
): string | null {
  for (const key of candidates) {
    if (!isKey(words, key)) continue;
    const text = fill(words[key], params);
    if (text !== null) return text;
  }
  return null;
}

/** A field problem from the contract's schemas or codecs, in the words' language. */
export function problemText(problem: string, words: EngineWords): string {
  // The contract speaks English already, often with more detail than a pattern keeps.
  if (words === engineEn) return problem;
  for (const { pattern, key } of problemPatterns) {
    const match = pattern.exec(problem);
    if (match !== null) return fill(words[key], { ...match.groups }) ?? problem;
  }
  return problem;
}

function scalarParams(
  details: Record<string, unknown> | undefined,
): Record<string, string | number> {
  const params: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(details ?? {}))
    if (typeof value === 'string' || typeof value === 'number') params[key] = value;
  return params;
}

function hasField(error: CodedError): boolean {
  const field = error.details?.field;
  return typeof field === 'string' && field !== '';
}

const charsetNames: Readonly<Record<string, string>> = {
  'utf-8': 'UTF-8',
  gbk: 'GBK',
  latin1: 'Latin-1',
};

/**
 * An engine error in the words' language, from its code and details; the engine's
 * English message when the code (or a param its wording needs) is unknown.
 * `fieldLabels` names a refused field by its visible label.
 */
export function errorText(
  error: CodedError,
  words: EngineWords,
  fieldLabels: Readonly<Record<string, string>> = {},
): string {
  // The engine writes English with every specific (an rcode's meaning, the tries it
  // made); English keeps those words, except that a refused field is named by its label.
  if (words === engineEn && !(error.code === ErrorCode.invalidArgs && hasField(error)))
    return error.message;
  const params: Record<string, string | number> = {
    ...scalarParams(error.details),
    message: error.message,
  };
  const candidates: string[] = [];
  if (error.code === ErrorCode.invalidArgs) {
    if (typeof params.character === 'string') candidates.push(`${error.code}.unencodable`);
    if (typeof params.charset === 'string') params.charset = charsetNames[params.charset] ?? '';
    if (typeof params.field === 'string' && params.field !== '') {
      params.field = fieldLabels[params.field] ?? params.field;
      params.problem = problemText(String(params.problem ?? ''), words);
    } else delete params.field;
  }
  if (typeof params.state === 'string') {
    candidates.push(`${error.code}.${params.state}`);
    const stateKey = `state.${params.state}`;
    if (isKey(words, stateKey)) params.state = words[stateKey];
  }
  if (params.timeoutMs !== undefined) candidates.push(`${error.code}.limit`);
  // A server's listen says so, and which address (its OS code picks the words).
  if (params.syscall === 'listen') {
    if (typeof params.osCode === 'string') candidates.push(`${error.code}.listen.${params.osCode}`);
    candidates.push(`${error.code}.listen`);
  }
  // The call that failed comes last: a UDP error's OS code or reason words it more exactly.
  for (const variant of [params.rcode, params.osCode, params.reason, params.action])
    if (typeof variant === 'string') candidates.push(`${error.code}.${variant}`);
  candidates.push(error.code);
  return firstWording(words, candidates, params) ?? error.message;
}

/** An engine notice in the language, from its code and params. */
export function noticeText(
  notice: { message: string; code?: string | undefined; params?: MessageParams | undefined },
  words: EngineWords,
): string {
  if (notice.code === undefined || words === engineEn) return notice.message;
  return firstWording(words, [notice.code], notice.params ?? {}) ?? notice.message;
}

/** A listener's notes: IPv6 only or dual-stack (for `::`), and the port the OS granted. */
function listeningNotes(params: MessageParams, words: EngineWords): string {
  let notes = '';
  if (params.stack === 'ipv6-only') notes += words['event.listening.note.ipv6-only'];
  else if (params.stack === 'dual') notes += words['event.listening.note.dual'];
  if (typeof params.granted === 'number')
    notes += fill(words['event.listening.note.granted'], { port: params.granted }) ?? '';
  return notes;
}

/** A server's behaviour changes (mode, idle kick, client limit) in the language. */
function behaviourChanges(params: MessageParams, words: EngineWords): string {
  const said: string[] = [];
  const modeKey = `event.behaviour.mode.${params.mode}`;
  if (typeof params.mode === 'string' && isKey(words, modeKey)) said.push(words[modeKey]);
  if (typeof params.idleKickSeconds === 'number')
    said.push(
      params.idleKickSeconds === 0
        ? words['event.behaviour.no-idle-kick']
        : (fill(words['event.behaviour.idle-kick'], { seconds: params.idleKickSeconds }) ?? ''),
    );
  if (typeof params.maxClients === 'number')
    said.push(
      params.maxClients === 0
        ? words['event.behaviour.no-client-limit']
        : (fill(words['event.behaviour.client-limit'], { max: params.maxClients }) ?? ''),
    );
  return said.join(words['event.behaviour.separator']);
}

/** What ended a request (one request, one answer) in the language; null when unknown. */
function requestEnding(params: MessageParams, words: EngineWords): string | null {
  const key = `event.request-end.${params.endedBy}`;
  return isKey(words, key) ? fill(words[key], params) : null;
}

/** A log event's words in the language, from its kind and params. */
export function eventText(record: EventRecord, words: EngineWords): string {
  const fallback = record.message ?? record.event ?? '';
  const params = record.params;
  if (record.event === null || params === null || words === engineEn) return fallback;
  if (record.event === 'error' && typeof params.code === 'string') {
    const text = errorText({ code: params.code, message: fallback, details: params }, words);
    return typeof params.osCode === 'string' ? `${text} (${params.osCode})` : text;
  }
  const filled: Record<string, string | number> = { ...params };
  if (params.what === 'repeat-stopped' && typeof params.code === 'string') {
    filled.reason =
      params.code === ErrorCode.sessionNotConnected
        ? words['event.reason.notConnected']
        : errorText({ code: params.code, message: '' }, words);
    const why = `event.reason.${params.why}`;
    if (typeof params.why === 'string' && isKey(words, why)) filled.reason = words[why];
    if (filled.reason === '') return fallback;
  }
  if (typeof params.endedBy === 'string') {
    const ending = requestEnding(params, words);
    if (ending === null) return fallback;
    filled.ending = ending;
  }
  if (params.what === 'behaviour') filled.changes = behaviourChanges(params, words);
  if (record.event === 'listening') filled.notes = listeningNotes(params, words);
  const variant = params.by ?? params.action ?? params.what;
  const candidates = [`event.${record.event}`];
  if (typeof variant === 'string' && variant !== '')
    candidates.unshift(`event.${record.event}.${variant}`);
  return firstWording(words, candidates, filled) ?? fallback;
}
