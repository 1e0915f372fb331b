import dgram from 'node:dgram';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import dnsPacket from 'dns-packet';
import type {
  Answer,
  CaaData,
  MxData,
  Question,
  SoaData,
  SrvData,
  TlsaData,
  TxtData,
} from 'dns-packet';

// A real authoritative-style DNS server on loopback for tests: UDP and TCP on
// one port, answers from a zone the test writes (truncating UDP answers that do
// not fit, as a real server does), or misbehaves on purpose.

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
  TLSA?: TlsaData[];
}

/** Owner names match without regard to case or a trailing dot. */
export type Zone = Record<string, ZoneEntry>;

/**
 * answer: NOERROR with the records (empty when the name has none of the type),
 * NXDOMAIN for unknown names; silent: never reply; formerr / servfail /
 * nxdomain / notimp / refused: reply with that rcode and nothing else;
 * wrong-id: answer under another id; wrong-question: answer for another name;
 * wrong-id-then-answer: a reply under another id first, then the real one.
 */
export type ServerMode =
  | 'answer'
  | 'silent'
  | 'formerr'
  | 'servfail'
  | 'nxdomain'
  | 'notimp'
  | 'refused'
  | 'wrong-id'
  | 'wrong-question'
  | 'wrong-id-then-answer';

export interface DnsServerOptions {
  /** Loopback address to bind: 127.0.0.1 (default) or ::1. */
  host?: '127.0.0.1' | '::1';
  mode?: ServerMode;
  /** Also serve TCP on the same port (default true); false makes TCP refuse. */
  tcp?: boolean;
}

/** One query as the server saw it. */
export interface ReceivedQuery {
  transport: 'udp' | 'tcp';
  question: Question | undefined;
  recursionDesired: boolean;
  /** The EDNS0 UDP size the client advertised; null without an OPT record. */
  ednsBufferSize: number | null;
  dnssecOk: boolean;
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
  /** Every query received, with its transport, flags and EDNS. */
  readonly received: ReceivedQuery[];
  close(): Promise<void>;
}

const rcodes = { formerr: 1, servfail: 2, nxdomain: 3, notimp: 4, refused: 5 } as const;
/** Without EDNS a UDP answer must fit in 512 bytes (RFC 1035). */
const plainUdpLimit = 512;

function key(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

function bind(socket: dgram.Socket, host: string, port = 0): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
}

function listen(server: net.Server, host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, host, () => resolve(true));
  });
}

function closeTcp(server: net.Server | null, sockets: Set<net.Socket>): Promise<void> {
  if (server === null) return Promise.resolve();
  for (const socket of sockets) socket.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Binds UDP on a free port and, when asked, TCP on the same one (a few tries). */
async function openSockets(
  host: string,
  tcp: boolean,
): Promise<{ udp: dgram.Socket; tcp: net.Server | null; port: number }> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const udp = dgram.createSocket(host === '::1' ? 'udp6' : 'udp4');
    await bind(udp, host);
    const { port } = udp.address() as AddressInfo;
    if (!tcp) return { udp, tcp: null, port };
    const stream = net.createServer();
    if (await listen(stream, host, port)) return { udp, tcp: stream, port };
    await new Promise<void>((resolve) => udp.close(() => resolve()));
  }
  throw new Error(`no port on ${host} was free for both UDP and TCP`);
}

export async function startDnsServer(
  zone: Zone,
  options: DnsServerOptions = {},
): Promise<DnsTestServer> {
  const host = options.host ?? '127.0.0.1';
  const entries = new Map<string, ZoneEntry>();
  for (const [name, entry] of Object.entries(zone)) entries.set(key(name), entry);

  const sockets = await openSockets(host, options.tcp ?? true);
  const { port } = sockets;
  const connections = new Set<net.Socket>();

  const server: DnsTestServer = {
    address: host,
    port,
    server: host === '::1' ? `[::1]:${port}` : `127.0.0.1:${port}`,
    mode: options.mode ?? 'answer',
    queries: [],
    received: [],
    close: async () => {
      await closeTcp(sockets.tcp, connections);
      await new Promise<void>((resolve) => sockets.udp.close(() => resolve()));
    },
  };

  /** The replies to send for one query, in order (none when silent). */
  const repliesTo = (query: dnsPacket.DecodedPacket, transport: 'udp' | 'tcp'): Buffer[] => {
    const question = query.questions?.[0];
    const opt = query.additionals?.find((record) => record.type === 'OPT');
    const ednsBufferSize = opt?.type === 'OPT' ? (opt.udpPayloadSize ?? 512) : null;
    const dnssecOk = opt?.type === 'OPT' && ((opt.flags ?? 0) & dnsPacket.DNSSEC_OK) !== 0;
    const recursionDesired = ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) !== 0;
    if (question !== undefined) server.queries.push(question);
    server.received.push({ transport, question, recursionDesired, ednsBufferSize, dnssecOk });
    const mode = server.mode;
    if (mode === 'silent') return [];

    let rcode = 0;
    let answers: Answer[] = [];
    if (mode in rcodes) rcode = rcodes[mode as keyof typeof rcodes];
    else if (question !== undefined) {
      const entry = entries.get(key(question.name));
      if (entry === undefined) rcode = rcodes.nxdomain;
      else answers = answersFor(entry, question);
    }
    const reply = (id: number, questions: Question[], truncated: boolean): Buffer =>
      dnsPacket.encode({
        type: 'response',
        id,
        flags:
          ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) |
          dnsPacket.AUTHORITATIVE_ANSWER |
          dnsPacket.RECURSION_AVAILABLE |
          (truncated ? dnsPacket.TRUNCATED_RESPONSE : 0) |
          rcode,
        questions,
        answers: truncated ? [] : answers,
        additionals:
          opt === undefined
            ? []
            : [{ type: 'OPT', name: '.', udpPayloadSize: 1232, flags: 0 } as Answer],
      });
    const id = query.id ?? 0;
    const questions = query.questions ?? [];
    let full = reply(id, questions, false);
    // Too big for the client's UDP size: send the header and question with TC set.
    if (transport === 'udp' && full.length > Math.max(ednsBufferSize ?? 0, plainUdpLimit))
      full = reply(id, questions, true);
    const wrongId = reply((id + 1) & 0xffff, questions, false);
    switch (mode) {
      case 'wrong-id':
        return [wrongId];
      case 'wrong-id-then-answer':
        return [wrongId, full];
      case 'wrong-question':
        return [
          reply(
            id,
            questions.map((asked) => ({ ...asked, name: `other.${asked.name}` })),
            false,
          ),
        ];
      default:
        return [full];
    }
  };

  sockets.udp.on('message', (message, remote) => {
    let query: dnsPacket.DecodedPacket;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return; // Not DNS: a real server would drop it too.
    }
    for (const reply of repliesTo(query, 'udp'))
      sockets.udp.send(reply, remote.port, remote.address);
  });

  sockets.tcp?.on('connection', (socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    socket.on('error', () => socket.destroy());
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        const size = pending.readUInt16BE(0);
        const message = pending.subarray(2, 2 + size);
        pending = pending.subarray(2 + size);
        let query: dnsPacket.DecodedPacket;
        try {
          query = dnsPacket.decode(message);
        } catch {
          socket.destroy();
          return;
        }
        for (const reply of repliesTo(query, 'tcp')) {
          const length = Buffer.alloc(2);
          length.writeUInt16BE(reply.length);
          socket.write(Buffer.concat([length, reply]));
        }
      }
    });
  });

  return server;
}

const recordTypes = [
  'A',
  'AAAA',
  'CNAME',
  'NS',
  'PTR',
  'MX',
  'TXT',
  'SRV',
  'SOA',
  'CAA',
  'TLSA',
] as const;

/** The records of `entry` that answer `question` (every type for ANY), owned by the name as asked. */
function answersFor(entry: ZoneEntry, question: Question): Answer[] {
  const { name } = question;
  const ttl = entry.ttl ?? 300;
  const wanted =
    (question.type as string) === 'ANY'
      ? recordTypes
      : recordTypes.filter((type) => type === question.type);
  return wanted.flatMap((type) =>
    (entry[type] ?? []).map((data: unknown) => ({ type, name, ttl, data }) as Answer),
  );
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
