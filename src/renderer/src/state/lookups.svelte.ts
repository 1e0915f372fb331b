import { DnsQueryResult } from '@shared/contract';
import { SockscopeError } from '@shared/errors';
import type { SockscopeApi } from '@shared/api';
import type {
  CommandInput,
  CommandResult,
  DnsSystemServers,
  DnsTransport,
  ServiceEntry,
  ServicesSource,
} from '@shared/contract';
import { api } from '../api';
import { failureOf, refusal } from '../lib/failure';
import type { Failure } from '../lib/failure';
import { settings } from './settings.svelte';
import type { SettingsState } from './settings.svelte';
import { validateArgs } from '../lib/validate';

/** The lookups a user can run, each tied to the command that carries it. */
export const lookupCommands = {
  host: 'lookup.host',
  address: 'lookup.address',
  dns: 'lookup.dns',
  serviceByName: 'services.byName',
  serviceByPort: 'services.byPort',
} as const;
export type LookupKind = keyof typeof lookupCommands;
type CommandOf<K extends LookupKind> = (typeof lookupCommands)[K];

export type LookupRequest = {
  [K in LookupKind]: { kind: K; args: CommandInput<CommandOf<K>> };
}[LookupKind];

export type LookupResult = {
  [K in LookupKind]: { kind: K; result: CommandResult<CommandOf<K>> };
}[LookupKind];

export type LookupOutcome =
  | { ok: true; request: LookupRequest; value: LookupResult }
  | {
      ok: false;
      request: LookupRequest;
      failure: Failure;
      /** A DNS reply that came back with an error rcode, to show beside the words. */
      dnsReply?: DnsQueryResult;
    };

export interface RecentLookup {
  id: number;
  request: LookupRequest;
  ok: boolean;
  summary: string;
  atMs: number;
}

export type LookupTab = 'host' | 'address' | 'dns' | 'services';

export function tabOf(kind: LookupKind): LookupTab {
  return kind === 'serviceByName' || kind === 'serviceByPort' ? 'services' : kind;
}

/** Checks a request against the same schema the engine's boundary uses. */
export function validateRequest(request: LookupRequest): Failure | null {
  const problem = validateArgs(lookupCommands[request.kind], request.args);
  return problem === null ? null : refusal(problem);
}

async function execute(api: SockscopeApi, request: LookupRequest): Promise<LookupResult> {
  switch (request.kind) {
    case 'host':
      return { kind: 'host', result: await api.call('lookup.host', request.args) };
    case 'address':
      return { kind: 'address', result: await api.call('lookup.address', request.args) };
    case 'dns':
      return { kind: 'dns', result: await api.call('lookup.dns', request.args) };
    case 'serviceByName':
      return { kind: 'serviceByName', result: await api.call('services.byName', request.args) };
    case 'serviceByPort':
      return { kind: 'serviceByPort', result: await api.call('services.byPort', request.args) };
  }
}

/** One line a person recognises a lookup by in the recent list. */
export function describeRequest(request: LookupRequest): string {
  switch (request.kind) {
    case 'host':
      return `${request.args.call ?? 'getaddrinfo'}(${request.args.host})`;
    case 'address':
      return request.args.call === 'getnameinfo'
        ? `getnameinfo(${request.args.address}, ${request.args.port ?? ''})`
        : `gethostbyaddr(${request.args.address})`;
    case 'dns':
      return `${request.args.type ?? 'A'} ${request.args.name}${request.args.server ? ` @${request.args.server}` : ''}${digOptions(request.args)}`;
    case 'serviceByName':
      return `getservbyname(${request.args.name}, ${request.args.protocol ?? 'tcp'})`;
    case 'serviceByPort':
      return `getservbyport(${request.args.port}, ${request.args.protocol ?? 'tcp'})`;
  }
}

/** The reply an rcode error carries, when it carries one that passes the contract. */
function dnsReplyOf(error: unknown): DnsQueryResult | undefined {
  if (!(error instanceof SockscopeError)) return undefined;
  const parsed = DnsQueryResult.safeParse(error.details?.reply);
  return parsed.success ? parsed.data : undefined;
}

/** The non-default DNS options, written as dig's +options. */
function digOptions(args: CommandInput<'lookup.dns'>): string {
  const options: string[] = [];
  if (args.transport === 'tcp') options.push('+tcp');
  if (args.recursionDesired === false) options.push('+norecurse');
  if (args.dnssecOk === true) options.push('+dnssec');
  if (args.ednsBufferSize === 0) options.push('+noedns');
  else if (args.ednsBufferSize !== undefined && args.ednsBufferSize !== 1232)
    options.push(`+bufsize=${args.ednsBufferSize}`);
  return options.map((option) => ` ${option}`).join('');
}

function summarize(value: LookupResult): string {
  switch (value.kind) {
    case 'host':
      return value.result.addresses.map((entry) => entry.address).join(', ');
    case 'address':
      return value.result.service === null
        ? value.result.hostname
        : `${value.result.hostname} ${value.result.service}`;
    case 'dns':
      return `${value.result.records.length} × ${value.result.type}`;
    case 'serviceByName':
    case 'serviceByPort':
      return `${value.result.entry.name} ${value.result.entry.port}/${value.result.entry.protocol}`;
  }
}

/** What the forms hold between tab switches; strings, as typed. */
export interface LookupForms {
  host: {
    host: string;
    family: 'any' | 'ipv4' | 'ipv6';
    call: 'getaddrinfo' | 'gethostbyname' | 'gethostbyname_ex';
  };
  address: { address: string; call: 'gethostbyaddr' | 'getnameinfo'; port: string };
  dns: {
    name: string;
    type: string;
    server: string;
    timeoutMs: string;
    retries: string;
    transport: DnsTransport;
    ednsBufferSize: string;
    dnssecOk: boolean;
    recursionDesired: boolean;
  };
  serviceByName: { name: string; protocol: 'tcp' | 'udp' };
  serviceByPort: { port: string; protocol: 'tcp' | 'udp' };
}

export class LookupsState {
  tab = $state<LookupTab>('host');
  forms = $state<LookupForms>({
    host: { host: '', family: 'any', call: 'getaddrinfo' },
    address: { address: '', call: 'gethostbyaddr', port: '' },
    dns: {
      name: '',
      type: 'A',
      server: '',
      timeoutMs: '2000',
      retries: '2',
      transport: 'udp',
      ednsBufferSize: '1232',
      dnssecOk: false,
      recursionDesired: true,
    },
    serviceByName: { name: '', protocol: 'tcp' },
    serviceByPort: { port: '', protocol: 'tcp' },
  });
  busy = $state(false);
  outcomes = $state<Partial<Record<LookupTab, LookupOutcome>>>({});
  /** Which services database the engine uses; fetched once, by the Services tab. */
  servicesSource = $state<ServicesSource | null>(null);
  /** The DNS servers the system resolver uses; fetched once, by the DNS records tab. */
  dnsServers = $state<DnsSystemServers | null>(null);
  private nextId = Date.now();

  constructor(
    private readonly engine: SockscopeApi,
    private readonly saved: SettingsState,
  ) {}

  /** Asks the engine which services database it reads, once. */
  async loadServicesSource(): Promise<void> {
    if (this.servicesSource === null)
      this.servicesSource = await this.engine.call('services.source', {});
  }

  /** Asks the engine once which DNS servers the system is configured with. */
  async loadDnsServers(): Promise<void> {
    if (this.dnsServers !== null) return;
    try {
      this.dnsServers = await this.engine.call('lookup.dnsServers', {});
    } catch {
      this.dnsServers = { servers: [], source: '—' };
    }
  }

  /** Service names starting with `prefix`, for suggestions while typing. */
  async suggestServices(prefix: string, protocol: 'tcp' | 'udp'): Promise<ServiceEntry[]> {
    const result = await this.engine.call('services.search', { prefix, protocol, limit: 12 });
    return result.entries;
  }

  /** Validates in the form first; only a request that passes reaches the engine. */
  async run(request: LookupRequest): Promise<LookupOutcome> {
    const tab = tabOf(request.kind);
    const refused = validateRequest(request);
    if (refused !== null) {
      const outcome: LookupOutcome = { ok: false, request, failure: refused };
      this.outcomes[tab] = outcome;
      return outcome;
    }
    this.busy = true;
    let outcome: LookupOutcome;
    try {
      outcome = { ok: true, request, value: await execute(this.engine, request) };
    } catch (error) {
      const dnsReply = dnsReplyOf(error);
      outcome = {
        ok: false,
        request,
        failure: failureOf(error),
        ...(dnsReply === undefined ? {} : { dnsReply }),
      };
    } finally {
      this.busy = false;
    }
    this.outcomes[tab] = outcome;
    this.remember(outcome);
    return outcome;
  }

  rerun(entry: RecentLookup): Promise<LookupOutcome> {
    this.tab = tabOf(entry.request.kind);
    this.fillForm(entry.request);
    return this.run(entry.request);
  }

  /** Puts a past request back into its form, so what ran is what the user sees. */
  private fillForm(request: LookupRequest): void {
    const text = (value: number | undefined): string => (value === undefined ? '' : String(value));
    switch (request.kind) {
      case 'host':
        this.forms.host = {
          host: request.args.host,
          family: request.args.family ?? 'any',
          call: request.args.call ?? 'getaddrinfo',
        };
        break;
      case 'address':
        this.forms.address = {
          address: request.args.address,
          call: request.args.call ?? 'gethostbyaddr',
          port: text(request.args.port),
        };
        break;
      case 'dns':
        this.forms.dns = {
          name: request.args.name,
          type: request.args.type ?? 'A',
          server: request.args.server ?? '',
          timeoutMs: text(request.args.timeoutMs),
          retries: text(request.args.retries),
          transport: request.args.transport ?? 'udp',
          ednsBufferSize: text(request.args.ednsBufferSize),
          dnssecOk: request.args.dnssecOk ?? false,
          recursionDesired: request.args.recursionDesired ?? true,
        };
        break;
      case 'serviceByName':
        this.forms.serviceByName = {
          name: request.args.name,
          protocol: request.args.protocol ?? 'tcp',
        };
        break;
      case 'serviceByPort':
        this.forms.serviceByPort = {
          port: text(request.args.port),
          protocol: request.args.protocol ?? 'tcp',
        };
        break;
    }
  }

  /** Lookups that ran, newest first; the engine keeps them across restarts. */
  get recent(): readonly RecentLookup[] {
    return this.saved.values.recentLookups ?? [];
  }

  clearRecent(): void {
    this.saved.clear('recentLookups');
  }

  private remember(outcome: LookupOutcome): void {
    const entry: RecentLookup = {
      id: this.nextId++,
      request: $state.snapshot(outcome.request) as LookupRequest,
      ok: outcome.ok,
      summary: outcome.ok ? summarize(outcome.value) : outcome.failure.code,
      atMs: Date.now(),
    };
    this.saved.remember({ list: 'recentLookups', entry });
  }
}

export const lookups = new LookupsState(api, settings);
