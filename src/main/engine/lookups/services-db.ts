// getservbyname / getservbyport over the OS's services database, read once at
// start-up, with the shipped table as the fallback when the file is unusable.

import { readFile, stat } from 'node:fs/promises';
import type {
  ServiceEntry,
  ServiceLookupResult,
  ServiceSearchResult,
  ServicesSource,
} from '@shared/contract/services';
import { ServiceName } from '@shared/contract/services';
import { ErrorCode, SockscopeError } from '@shared/errors';
import { BUILTIN_SERVICES_TEXT } from './services-builtin';

export type ServiceProtocol = 'tcp' | 'udp';
export type ServiceSearchProtocol = 'any' | ServiceProtocol;

export interface ParsedServices {
  entries: ServiceEntry[];
  problems: string[];
}

/** Real services files are tens of kilobytes (nmap's is ~1 MB); refuse anything absurd. */
const MAX_FILE_BYTES = 8 * 1024 * 1024;
/** A junk file could yield one problem per line; the first ones are enough to act on. */
const MAX_PROBLEMS = 100;
const MAX_QUOTED = 40;

const protocolPattern = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** Quotes a piece of a line for a message: escaped, and cut short when long. */
function quote(text: string): string {
  return JSON.stringify(text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text);
}

/** Why a name or alias cannot be one (the same rule the lookup forms apply), or null. */
function nameProblem(token: string): string | null {
  const result = ServiceName.safeParse(token);
  return result.success ? null : (result.error.issues[0]?.message ?? 'is not a valid name');
}

/**
 * Parses the /etc/services format: `name port/protocol [aliases...] [# comment]`.
 * Malformed lines are skipped and reported as `line N: ...`; it never throws.
 */
export function parseServicesFile(text: string): ParsedServices {
  const entries: ServiceEntry[] = [];
  const problems: string[] = [];
  let unlisted = 0;
  const report = (problem: string): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(problem);
    else unlisted += 1;
  };

  const lines = (text.startsWith('\uFEFF') ? text.slice(1) : text).split('\n');
  lines.forEach((rawLine, index) => {
    const lineNo = index + 1;
    // Like glibc, a '#' starts a comment wherever it appears.
    const hash = rawLine.indexOf('#');
    const body = hash === -1 ? rawLine : rawLine.slice(0, hash);
    const comment = hash === -1 ? null : rawLine.slice(hash + 1).trim() || null;
    // \s also swallows a CRLF file's trailing \r.
    const tokens = body.split(/\s+/).filter((token) => token !== '');
    const [name, portProtocol, ...aliasTokens] = tokens;
    if (name === undefined) return;

    const badName = nameProblem(name);
    if (badName !== null) return report(`line ${lineNo}: name ${quote(name)} ${badName}`);
    if (portProtocol === undefined)
      return report(`line ${lineNo}: ${quote(name)} has no port/protocol`);
    const slash = portProtocol.indexOf('/');
    if (slash === -1)
      return report(
        `line ${lineNo}: expected port/protocol after ${quote(name)}, found ${quote(portProtocol)} (missing protocol)`,
      );
    const portText = portProtocol.slice(0, slash);
    const protocol = portProtocol.slice(slash + 1);
    if (!/^\d+$/.test(portText))
      return report(`line ${lineNo}: port ${quote(portText)} is not a number`);
    const port = Number(portText);
    if (port > 65535)
      return report(`line ${lineNo}: port ${quote(portText)} is out of range (0 to 65535)`);
    if (!protocolPattern.test(protocol))
      return report(
        protocol === ''
          ? `line ${lineNo}: ${quote(portProtocol)} has no protocol after "/"`
          : `line ${lineNo}: protocol ${quote(protocol)} is not a protocol name`,
      );

    const aliases: string[] = [];
    for (const alias of aliasTokens) {
      const badAlias = nameProblem(alias);
      // One bad alias should not cost the whole entry.
      if (badAlias === null) aliases.push(alias);
      else report(`line ${lineNo}: alias ${quote(alias)} ${badAlias} (alias skipped)`);
    }
    entries.push({ name, port, protocol, aliases, comment });
  });

  if (unlisted > 0) problems.push(`… and ${unlisted} more problems not listed`);
  return { entries, problems };
}

/** Where the OS keeps its services database. */
export function defaultServicesPath(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') {
    const root = process.env.SystemRoot ?? 'C:\\Windows';
    return `${root}\\System32\\drivers\\etc\\services`;
  }
  return '/etc/services';
}

const fsErrorWords: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'the path is too long',
};

function describeFsError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== undefined) return `${fsErrorWords[code] ?? error.message} (${code})`;
    return error.message;
  }
  return String(error);
}

let builtinParsed: ParsedServices | undefined;
function builtinTable(): ParsedServices {
  builtinParsed ??= parseServicesFile(BUILTIN_SERVICES_TEXT);
  return builtinParsed;
}

function copyEntry(entry: ServiceEntry): ServiceEntry {
  return { ...entry, aliases: [...entry.aliases] };
}

const protocolRank = (protocol: string): number =>
  protocol === 'tcp' ? 0 : protocol === 'udp' ? 1 : 2;

/** The services database, indexed for lookups. Immutable once loaded. */
export class ServicesDatabase {
  // First match wins, as in glibc's line-by-line scan.
  private readonly byExactName = new Map<string, ServiceEntry>();
  private readonly byFoldedName = new Map<string, ServiceEntry>();
  private readonly byPortKey = new Map<string, ServiceEntry>();
  private readonly info: ServicesSource;

  private constructor(
    private readonly entries: readonly ServiceEntry[],
    info: Omit<ServicesSource, 'entries'>,
  ) {
    this.info = { ...info, entries: entries.length };
    for (const entry of entries) {
      for (const name of [entry.name, ...entry.aliases]) {
        const exact = `${entry.protocol}/${name}`;
        const folded = `${entry.protocol.toLowerCase()}/${name.toLowerCase()}`;
        if (!this.byExactName.has(exact)) this.byExactName.set(exact, entry);
        if (!this.byFoldedName.has(folded)) this.byFoldedName.set(folded, entry);
      }
      const portKey = `${entry.protocol.toLowerCase()}/${entry.port}`;
      if (!this.byPortKey.has(portKey)) this.byPortKey.set(portKey, entry);
    }
  }

  /**
   * Reads the services file (the OS's own when no path is given). When it is
   * missing, unreadable or holds no entries, the built-in table is used and
   * source().problem says why.
   */
  static async load(path: string = defaultServicesPath()): Promise<ServicesDatabase> {
    let text: string;
    try {
      // stat first so a directory, FIFO or device is refused without blocking on it.
      const info = await stat(path);
      if (info.isDirectory())
        return ServicesDatabase.builtin(`cannot read ${path}: it is a directory`);
      if (!info.isFile())
        return ServicesDatabase.builtin(`cannot read ${path}: it is not a regular file`);
      if (info.size > MAX_FILE_BYTES)
        return ServicesDatabase.builtin(
          `cannot read ${path}: it is ${info.size} bytes, more than the ${MAX_FILE_BYTES}-byte limit`,
        );
      text = await readFile(path, 'utf8');
    } catch (error) {
      return ServicesDatabase.builtin(`cannot read ${path}: ${describeFsError(error)}`);
    }
    const parsed = parseServicesFile(text);
    if (parsed.entries.length === 0) {
      const first = parsed.problems[0];
      const why =
        first === undefined
          ? `${path} has no service entries`
          : `${path} has no valid service entries (first problem: ${first})`;
      return ServicesDatabase.builtin(why);
    }
    return new ServicesDatabase(parsed.entries, { kind: 'system', path, problem: null });
  }

  /** The shipped table; `problem` says why the system file was not used. */
  static builtin(problem: string | null = null): ServicesDatabase {
    const table = builtinTable();
    return new ServicesDatabase(table.entries, { kind: 'builtin', path: null, problem });
  }

  source(): ServicesSource {
    return { ...this.info };
  }

  /** getservbyname: the name or an alias; exact case first, then any case. */
  byName(name: string, protocol: ServiceProtocol): ServiceLookupResult {
    const entry =
      this.byExactName.get(`${protocol}/${name}`) ??
      this.byFoldedName.get(`${protocol}/${name.toLowerCase()}`);
    if (entry !== undefined) return { entry: copyEntry(entry), source: this.source() };

    const other: ServiceProtocol = protocol === 'tcp' ? 'udp' : 'tcp';
    const elsewhere = this.byFoldedName.get(`${other}/${name.toLowerCase()}`);
    const hint =
      elsewhere === undefined ? '' : ` (it is listed for ${other}, port ${elsewhere.port})`;
    throw new SockscopeError(
      ErrorCode.serviceNotFound,
      `No service named ${JSON.stringify(name)} for ${protocol} in ${this.where()}${hint}`,
      { name, protocol, path: this.info.path },
    );
  }

  /** getservbyport: the first entry for that port and protocol. */
  byPort(port: number, protocol: ServiceProtocol): ServiceLookupResult {
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new SockscopeError(
        ErrorCode.invalidArgs,
        `port ${port} is not a port from 0 to 65535`,
        {
          port,
        },
      );
    const entry = this.byPortKey.get(`${protocol}/${port}`);
    if (entry !== undefined) return { entry: copyEntry(entry), source: this.source() };

    const other: ServiceProtocol = protocol === 'tcp' ? 'udp' : 'tcp';
    const elsewhere = this.byPortKey.get(`${other}/${port}`);
    const hint =
      elsewhere === undefined
        ? ''
        : ` (${other} port ${port} is ${JSON.stringify(elsewhere.name)})`;
    throw new SockscopeError(
      ErrorCode.serviceNotFound,
      `No service on port ${port}/${protocol} in ${this.where()}${hint}`,
      { port, protocol, path: this.info.path },
    );
  }

  /**
   * Names (and aliases) starting with `prefix`, any case, for completion:
   * exact matches first, then shorter names, then alphabetical. A numeric
   * prefix also matches ports starting with those digits. An empty prefix
   * lists entries by port.
   */
  search(prefix: string, protocol: ServiceSearchProtocol, limit: number): ServiceSearchResult {
    const max = Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : 0;
    const wanted = prefix.trim().toLowerCase();
    const numeric = /^\d+$/.test(wanted);

    const matches: Ranked[] = [];
    this.entries.forEach((entry, index) => {
      if (protocol !== 'any' && entry.protocol.toLowerCase() !== protocol) return;
      if (wanted === '') {
        matches.push({ entry, index, exact: false, key: '' });
        return;
      }
      // An entry is ranked by its best-matching name, alias or port.
      let best: Ranked | undefined;
      const consider = (candidate: string): void => {
        const key = candidate.toLowerCase();
        if (!key.startsWith(wanted)) return;
        const match = { entry, index, exact: key === wanted, key };
        if (best === undefined || compareMatches(match, best) < 0) best = match;
      };
      consider(entry.name);
      entry.aliases.forEach(consider);
      if (numeric) consider(String(entry.port));
      if (best !== undefined) matches.push(best);
    });

    matches.sort(wanted === '' ? compareByPort : compareMatches);
    return {
      entries: matches.slice(0, max).map((match) => copyEntry(match.entry)),
      source: this.source(),
    };
  }

  private where(): string {
    return this.info.path === null ? 'the built-in table' : this.info.path;
  }
}

interface Ranked {
  entry: ServiceEntry;
  index: number;
  exact: boolean;
  key: string;
}

function compareMatches(a: Ranked, b: Ranked): number {
  if (a.exact !== b.exact) return a.exact ? -1 : 1;
  if (a.key.length !== b.key.length) return a.key.length - b.key.length;
  // Plain code-unit order so results do not depend on the host's locale.
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  return compareByPort(a, b);
}

function compareByPort(a: Ranked, b: Ranked): number {
  return (
    a.entry.port - b.entry.port ||
    protocolRank(a.entry.protocol) - protocolRank(b.entry.protocol) ||
    a.index - b.index
  );
}
