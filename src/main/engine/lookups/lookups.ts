import { Resolver, lookup, lookupService } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import { performance } from 'node:perf_hooks';
import type { z } from 'zod';
import type {
  AddressLookupArgs,
  AddressLookupResult,
  DnsQueryArgs,
  DnsQueryResult,
  DnsRecordType,
  DnsSystemServers,
  HostLookupArgs,
  HostLookupResult,
  ResolvedAddress,
} from '@shared/contract/lookups';
import { ErrorCode, SockscopeError } from '@shared/errors';
import { formatEndpoint } from '@shared/endpoint';
import { ipFamily, parseHostPort, parseIPv6 } from '@shared/ip';
import { elapsedSince } from '../clock';
import { DnsClient } from '../dns/client';
import { queryServer } from '../dns/server-query';
import type { NamedServer } from '../dns/server-query';
import { ignoredSystemOptions, systemRecords } from '../dns/system-records';
import { systemDnsServers } from '../dns/system-servers';
import { codedError, lookupError } from './lookup-errors';
import type { LookupFailureContext } from './lookup-errors';

type HostArgs = z.output<typeof HostLookupArgs>;
type AddressArgs = z.output<typeof AddressLookupArgs>;
type DnsArgs = z.output<typeof DnsQueryArgs>;

const familyNumber = { any: 0, ipv4: 4, ipv6: 6 } as const;
const familyWord = { any: '', ipv4: 'IPv4 ', ipv6: 'IPv6 ' } as const;

/**
 * Limit for the extra queries that only decorate a result (the CNAME behind
 * gethostbyname_ex, the aliases behind gethostbyaddr): they must never make
 * the call fail or drag on.
 */
const sideQueryMs = 1000;

/**
 * Our own deadline sits just past c-ares's: Node polls c-ares's timeouts on a
 * coarse timer, so a 500 ms query can otherwise take up to ~1 s to time out.
 */
const deadlineSlackMs = 20;

/** How node names each query in an error's `syscall` (queryA, queryMx, …). */
const syscallNames: Record<DnsRecordType, string> = {
  A: 'A',
  AAAA: 'Aaaa',
  CNAME: 'Cname',
  MX: 'Mx',
  TXT: 'Txt',
  SRV: 'Srv',
  NS: 'Ns',
  SOA: 'Soa',
  PTR: 'Ptr',
  CAA: 'Caa',
  ANY: 'Any',
};

const notFoundAddressWords = 'no host name is recorded for that address';

export interface LookupsOptions {
  /**
   * DNS servers ("ip:port") to use wherever the system's resolver
   * configuration would be; tests point this at a loopback server.
   */
  systemServers?: readonly string[];
}

/** A named server for the DNS client, or null for the system resolver. */
type DnsTarget = NamedServer | null;

/**
 * Host, address and DNS lookups: getaddrinfo / getnameinfo through node:dns,
 * record queries through c-ares resolvers that close() can cancel.
 */
export class Lookups {
  private readonly inFlight = new Set<Resolver>();
  private readonly dnsClient = new DnsClient();
  private closed = false;

  constructor(private readonly options: LookupsOptions = {}) {}

  /** getaddrinfo, gethostbyname or gethostbyname_ex, like Python's socket module. */
  async host(args: HostArgs): Promise<HostLookupResult> {
    this.assertOpen();
    const started = performance.now();
    const { host, call } = args;
    // gethostbyname and gethostbyname_ex are IPv4-only, as in C and Python.
    const family = call === 'getaddrinfo' ? args.family : 'ipv4';
    // Started alongside getaddrinfo so it adds no time; it never rejects.
    const canonical = call === 'gethostbyname_ex' ? this.canonicalName(host) : null;
    let found: LookupAddress[];
    try {
      found = await lookup(host, { all: true, family: familyNumber[family], verbatim: true });
    } catch (error) {
      throw this.failure(error, {
        missing: `${familyWord[family]}address for "${host}"`,
        action: `Looking up "${host}"`,
        hostname: host,
        // Node folds "no such name" and "no address of that family" into ENOTFOUND.
        notFoundWords:
          family === 'any'
            ? undefined
            : `the name does not exist, or has no ${familyWord[family]}address`,
      });
    }
    this.assertOpen();
    const addresses = uniqueAddresses(found);
    const cname = canonical === null ? null : await canonical;
    return {
      call,
      host,
      canonicalName: cname ?? host,
      aliases: cname === null ? [] : [host],
      addresses: call === 'gethostbyname' ? addresses.slice(0, 1) : addresses,
      elapsedMs: elapsedSince(started),
    };
  }

  /** gethostbyaddr (name and aliases of an address) or getnameinfo (name and service). */
  async address(args: AddressArgs): Promise<AddressLookupResult> {
    this.assertOpen();
    const started = performance.now();
    const { address, call } = args;
    if (call === 'getnameinfo') {
      const port = args.port;
      if (port === undefined)
        throw new SockscopeError(ErrorCode.lookupBadInput, 'getnameinfo needs a port', {
          osCode: null,
        });
      const where = `${address} port ${port}`;
      const context = {
        missing: `name for ${where}`,
        action: `getnameinfo for ${where}`,
        hostname: address,
        notFoundWords: notFoundAddressWords,
      };
      try {
        const { hostname, service } = await lookupService(address, port);
        this.assertOpen();
        return {
          call,
          address,
          hostname,
          aliases: [],
          port,
          service,
          elapsedMs: elapsedSince(started),
        };
      } catch (error) {
        throw this.failure(error, context);
      }
    }

    const context = {
      missing: `name for ${address}`,
      action: `Reverse lookup of ${address}`,
      hostname: address,
      notFoundWords: notFoundAddressWords,
    };
    try {
      const { hostname } = await lookupService(address, 0);
      // getnameinfo hands back the number itself when there is no name.
      if (ipFamily(hostname) !== 0) throw codedError('ENOTFOUND', 'getnameinfo');
      const aliases = await this.aliasesOf(address, hostname);
      this.assertOpen();
      return {
        call,
        address,
        hostname,
        aliases,
        port: null,
        service: null,
        elapsedMs: elapsedSince(started),
      };
    } catch (error) {
      throw this.failure(error, context);
    }
  }

  /**
   * One DNS query of one record type: through our own DNS client to a named
   * server (the whole reply), or through the system resolver (answers only).
   */
  async dns(args: DnsArgs): Promise<DnsQueryResult> {
    this.assertOpen();
    const started = performance.now();
    const { name, type, timeoutMs } = args;
    const target = dnsTarget(args.server);
    const queriedName = type === 'PTR' && ipFamily(name) !== 0 ? reverseName(name) : name;
    const label = target === null ? 'system' : target.label;
    const to = target === null ? "the system's DNS servers" : target.label;
    const context: LookupFailureContext = {
      missing: `${type} records for "${queriedName}"`,
      action: `DNS query ${type} for "${queriedName}" to ${to}`,
      server: label,
      timeoutMs,
      hostname: queriedName,
    };
    try {
      if (target !== null)
        return await queryServer(this.dnsClient, args, target, queriedName, context);
      const records = await this.query(timeoutMs, null, `query${syscallNames[type]}`, (resolver) =>
        systemRecords(resolver, type, queriedName),
      );
      return {
        name,
        queriedName,
        type,
        path: 'system-resolver',
        server: label,
        transport: null,
        records,
        message: null,
        replyBytes: null,
        attempts: 1,
        notes: ignoredSystemOptions(args),
        elapsedMs: elapsedSince(started),
      };
    } catch (error) {
      throw this.failure(error, context);
    }
  }

  /** The DNS servers the system resolver uses, for the user to pick from. */
  dnsServers(): DnsSystemServers {
    return systemDnsServers(this.options.systemServers);
  }

  /** Cancels every query in flight; every later call throws ERR_ENGINE_CLOSED. */
  close(): void {
    this.closed = true;
    this.dnsClient.close();
    for (const resolver of this.inFlight) resolver.cancel();
    this.inFlight.clear();
  }

  private assertOpen(): void {
    if (this.closed)
      throw new SockscopeError(
        ErrorCode.engineClosed,
        'Lookups are closed: the engine has shut down',
      );
  }

  private failure(error: unknown, context: LookupFailureContext): SockscopeError {
    if (error instanceof SockscopeError) return error;
    if (this.closed)
      return new SockscopeError(
        ErrorCode.engineClosed,
        `${context.action} was cancelled: the engine is shutting down`,
        { osCode: stringCode(error) ?? null },
      );
    return lookupError(error, context);
  }

  /**
   * Runs `run` on a fresh c-ares resolver that close() can cancel, and gives
   * up with ETIMEOUT once `timeoutMs` (plus a little slack) has passed.
   */
  private async query<T>(
    timeoutMs: number,
    servers: readonly string[] | null,
    syscall: string,
    run: (resolver: Resolver) => Promise<T>,
  ): Promise<T> {
    const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
    const chosen = servers ?? this.options.systemServers;
    if (chosen !== undefined) resolver.setServers(chosen);
    this.inFlight.add(resolver);
    const work = run(resolver);
    let deadline: NodeJS.Timeout | undefined;
    const expiry = new Promise<never>((_resolve, reject) => {
      deadline = setTimeout(
        () => reject(codedError('ETIMEOUT', syscall)),
        timeoutMs + deadlineSlackMs,
      );
    });
    try {
      return await Promise.race([work, expiry]);
    } finally {
      clearTimeout(deadline);
      // Settles `work` (with ECANCELLED) if the deadline won; nobody waits for it.
      resolver.cancel();
      work.catch(() => undefined);
      this.inFlight.delete(resolver);
    }
  }

  /** The CNAME target of `host`, or null when there is none or it takes too long. */
  private async canonicalName(host: string): Promise<string | null> {
    // Addresses have no CNAME, and localhost names never go to DNS (RFC 6761).
    if (ipFamily(host) !== 0 || isLocalhostName(host)) return null;
    try {
      const targets = await this.query(sideQueryMs, null, 'queryCname', (resolver) =>
        resolver.resolveCname(host),
      );
      return targets[0] ?? null;
    } catch {
      return null;
    }
  }

  /** Other names c-ares finds for `address` (hosts file, then PTR); [] on any failure. */
  private async aliasesOf(address: string, hostname: string): Promise<string[]> {
    try {
      const names = await this.query(sideQueryMs, null, 'getHostByAddr', (resolver) =>
        resolver.reverse(address),
      );
      const taken = new Set([hostname.toLowerCase()]);
      return names.filter((name) => {
        const key = name.toLowerCase();
        if (taken.has(key)) return false;
        taken.add(key);
        return true;
      });
    } catch {
      return [];
    }
  }
}

function stringCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

function isLocalhostName(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

function uniqueAddresses(found: LookupAddress[]): ResolvedAddress[] {
  const seen = new Set<string>();
  const addresses: ResolvedAddress[] = [];
  for (const { address, family } of found) {
    if (seen.has(address) || (family !== 4 && family !== 6)) continue;
    seen.add(address);
    addresses.push({ address, family });
  }
  return addresses;
}

function dnsTarget(server: string | undefined): DnsTarget {
  if (server === undefined || server.trim() === '') return null;
  const parsed = parseHostPort(server);
  if (typeof parsed === 'string')
    throw new SockscopeError(ErrorCode.lookupBadInput, `DNS server "${server}" ${parsed}`, {
      osCode: null,
      server,
    });
  const family = ipFamily(parsed.host);
  if (family === 0)
    throw new SockscopeError(
      ErrorCode.lookupBadInput,
      `DNS server "${server}" is not an IP address (name the server by its address)`,
      { osCode: null, server },
    );
  const port = parsed.port ?? 53;
  const label = formatEndpoint(parsed.host, port);
  return { host: parsed.host, port, family, label };
}

/** The name a PTR query asks for an address: 4.3.2.1.in-addr.arpa or a nibble ip6.arpa name. */
export function reverseName(address: string): string {
  if (ipFamily(address) === 4) return `${address.split('.').reverse().join('.')}.in-addr.arpa`;
  return `${ipv6Hex(address).split('').reverse().join('.')}.ip6.arpa`;
}

/** An IPv6 address as its 32 hex digits, lower case, zone index dropped. */
function ipv6Hex(address: string): string {
  return (parseIPv6(address) ?? []).map((group) => group.toString(16).padStart(4, '0')).join('');
}
