import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import dnsPacket from 'dns-packet';
import type { Answer, CaaData, MxData, Question, SoaData, SrvData, TxtData } from 'dns-packet';

// A real authoritative-style DNS server on loopback for tests: UDP only,
// answers from a zone the test writes, or misbehaves on purpose.

/** The records of one owner name, by type; every list entry is one record. */
export interface ZoneEntry {
  /** Seconds, for every record of this name; 300 when absent. */
  ttl?: number;
  A?: string[];
  AAAA?: string[];
  CNAME?: string[];
  NS?: string[];
  PTR?: string[];
  MX?: MxData[];
  /** A string is one chunk; an array is a record of several chunks. */
  TXT?: TxtData[];
  SRV?: SrvData[];
  SOA?: SoaData[];
  CAA?: CaaData[];
}

/** Owner names match without regard to case or a trailing dot. */
export type Zone = Record<string, ZoneEntry>;

/**
 * answer: NOERROR with the records (empty when the name has none of the type),
 * NXDOMAIN for unknown names; silent: never reply; servfail / refused: reply
 * with that rcode and nothing else.
 */
export type ServerMode = 'answer' | 'silent' | 'servfail' | 'refused';

export interface DnsServerOptions {
  /** Loopback address to bind: 127.0.0.1 (default) or ::1. */
  host?: '127.0.0.1' | '::1';
  mode?: ServerMode;
}

export interface DnsTestServer {
  address: string;
  port: number;
  /** How the lookups module takes it: "127.0.0.1:PORT" or "[::1]:PORT". */
  server: string;
  /** Can be changed while the server runs. */
  mode: ServerMode;
  /** Every question received, in order (tests check what was really asked). */
  readonly queries: Question[];
  close(): Promise<void>;
}

const rcodes = { answer: 0, servfail: 2, nxdomain: 3, refused: 5 } as const;

function key(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

function bind(socket: dgram.Socket, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
}

export async function startDnsServer(
  zone: Zone,
  options: DnsServerOptions = {},
): Promise<DnsTestServer> {
  const host = options.host ?? '127.0.0.1';
  const entries = new Map<string, ZoneEntry>();
  for (const [name, entry] of Object.entries(zone)) entries.set(key(name), entry);

  const socket = dgram.createSocket(host === '::1' ? 'udp6' : 'udp4');
  await bind(socket, host);
  const { port } = socket.address() as AddressInfo;

  const server: DnsTestServer = {
    address: host,
    port,
    server: host === '::1' ? `[::1]:${port}` : `127.0.0.1:${port}`,
    mode: options.mode ?? 'answer',
    queries: [],
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };

  socket.on('message', (message, remote) => {
    let query: dnsPacket.DecodedPacket;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return; // Not DNS: a real server would drop it too.
    }
    const question = query.questions?.[0];
    if (question !== undefined) server.queries.push(question);
    if (server.mode === 'silent') return;

    let rcode: number = rcodes.answer;
    let answers: Answer[] = [];
    if (server.mode === 'servfail') rcode = rcodes.servfail;
    else if (server.mode === 'refused') rcode = rcodes.refused;
    else if (question !== undefined) {
      const entry = entries.get(key(question.name));
      if (entry === undefined) rcode = rcodes.nxdomain;
      else answers = answersFor(entry, question);
    }
    const reply = dnsPacket.encode({
      type: 'response',
      id: query.id ?? 0,
      flags:
        ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) |
        dnsPacket.AUTHORITATIVE_ANSWER |
        dnsPacket.RECURSION_AVAILABLE |
        rcode,
      questions: query.questions ?? [],
      answers,
    });
    socket.send(reply, remote.port, remote.address);
  });

  return server;
}

/** The records of `entry` that answer `question`, owned by the name as asked. */
function answersFor(entry: ZoneEntry, question: Question): Answer[] {
  const { name } = question;
  const ttl = entry.ttl ?? 300;
  switch (question.type) {
    case 'A':
    case 'AAAA':
    case 'CNAME':
    case 'NS':
    case 'PTR': {
      const type = question.type;
      return (entry[type] ?? []).map((data) => ({ type, name, ttl, data }));
    }
    case 'MX':
      return (entry.MX ?? []).map((data) => ({ type: 'MX', name, ttl, data }));
    case 'TXT':
      return (entry.TXT ?? []).map((data) => ({ type: 'TXT', name, ttl, data }));
    case 'SRV':
      return (entry.SRV ?? []).map((data) => ({ type: 'SRV', name, ttl, data }));
    case 'SOA':
      return (entry.SOA ?? []).map((data) => ({ type: 'SOA', name, ttl, data }));
    case 'CAA':
      return (entry.CAA ?? []).map((data) => ({ type: 'CAA', name, ttl, data }));
    default:
      return [];
  }
}

/** Why a UDP socket cannot be bound to ::1 here, or null when it can. */
export async function ipv6LoopbackProblem(): Promise<string | null> {
  const socket = dgram.createSocket('udp6');
  try {
    await bind(socket, '::1');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await new Promise<void>((resolve) => {
      try {
        socket.close(() => resolve());
      } catch {
        resolve(); // Never bound, so already unusable.
      }
    });
  }
}
