import dgram from 'node:dgram';
import net from 'node:net';
import type { DnsMessage, DnsTransport } from '@shared/contract/dns';
import { decodeReply, messageId } from './wire';

// Sends one DNS query to one server over real sockets and brings back the
// first reply that answers it: UDP with a timeout per try and retries, TCP when
// the UDP answer comes back truncated (or when asked for). A reply whose id or
// question does not match ours is never accepted; it is noted and we keep
// waiting for the real one until the time runs out.

export interface ServerAddress {
  host: string;
  port: number;
  family: 4 | 6;
}

export interface Exchange {
  server: ServerAddress;
  query: Buffer;
  /** The question we asked, to hold replies against. */
  expected: { id: number; name: string; type: string };
  timeoutMs: number;
  retries: number;
  transport: DnsTransport;
}

export interface ExchangeReply {
  bytes: Buffer;
  message: DnsMessage;
  transport: DnsTransport;
  attempts: number;
  /** UDP answered with TC set, so the reply is TCP's. */
  truncatedOverUdp: boolean;
  /** Replies that were not accepted, each in words. */
  ignored: string[];
}

/** No acceptable reply within the time allowed. */
export class ExchangeTimeout extends Error {
  constructor(
    readonly transport: DnsTransport,
    readonly attempts: number,
    readonly ignored: readonly string[],
  ) {
    super(`no acceptable reply over ${transport.toUpperCase()} after ${attempts} tries`);
  }
}

/** UDP came back truncated and TCP failed; `reason` says how. */
export class TruncatedUnfetchable extends Error {
  constructor(
    readonly reason: unknown,
    readonly attempts: number,
  ) {
    super('truncated over UDP and TCP failed');
  }
}

/** The exchange was cancelled because the engine is closing. */
export class ExchangeCancelled extends Error {
  readonly code = 'ECANCELLED';
  constructor() {
    super('the DNS query was cancelled');
  }
}

const tcpLengthBytes = 2;

function sameName(a: string, b: string): boolean {
  const bare = (name: string) => name.toLowerCase().replace(/\.$/, '');
  return bare(a) === bare(b);
}

/** Why `bytes` is not the reply to our query, or the decoded reply when it is. */
function judge(bytes: Buffer, expected: Exchange['expected']): DnsMessage | string {
  const id = messageId(bytes);
  if (id === null) return `a ${bytes.length}-byte datagram that is not a DNS message`;
  if (id !== expected.id) return `a reply with id ${id} (the query's id is ${expected.id})`;
  let message: DnsMessage;
  try {
    message = decodeReply(bytes);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return `a reply with id ${id} that could not be decoded (${why})`;
  }
  if (!message.flags.qr) return `a message with id ${id} that is a query, not a reply`;
  const question = message.question[0];
  // A server that could not parse the query may send no question back (RFC 1035 4.1.1).
  if (question === undefined)
    return message.rcode === 'NOERROR' ? 'a reply without a question' : message;
  if (
    message.question.length !== 1 ||
    !sameName(question.name, expected.name) ||
    question.type !== expected.type
  )
    return `a reply for ${question.name} ${question.type} (the query asked ${expected.name} ${expected.type})`;
  return message;
}

export class DnsClient {
  private readonly inFlight = new Set<AbortController>();

  /** Runs one exchange; the transport the user picked, and TCP after a truncated UDP reply. */
  async exchange(exchange: Exchange): Promise<ExchangeReply> {
    const controller = new AbortController();
    this.inFlight.add(controller);
    try {
      if (exchange.transport === 'tcp')
        return await this.overTcp(exchange, controller.signal, 0, []);
      const udp = await udpExchange(exchange, controller.signal);
      if (!udp.message.flags.tc) return udp;
      try {
        return await this.overTcp(exchange, controller.signal, udp.attempts, udp.ignored, true);
      } catch (error) {
        if (error instanceof ExchangeCancelled) throw error;
        throw new TruncatedUnfetchable(error, udp.attempts + 1);
      }
    } finally {
      this.inFlight.delete(controller);
    }
  }

  /** Cancels every exchange in flight. */
  close(): void {
    for (const controller of this.inFlight) controller.abort();
    this.inFlight.clear();
  }

  private async overTcp(
    exchange: Exchange,
    signal: AbortSignal,
    earlierAttempts: number,
    earlierIgnored: string[],
    truncatedOverUdp = false,
  ): Promise<ExchangeReply> {
    const reply = await tcpExchange(exchange, signal, earlierAttempts + 1, earlierIgnored);
    return { ...reply, truncatedOverUdp };
  }
}

interface Settler {
  /** Runs `finish` once, after the socket and timer are released; later calls do nothing. */
  settle(finish: () => void): void;
  fail(error: unknown): void;
  readonly settled: boolean;
}

/** Ends an exchange exactly once, whether by reply, error, timeout or cancellation. */
function settler(
  signal: AbortSignal,
  reject: (error: unknown) => void,
  release: () => void,
): Settler {
  let settled = false;
  const settle = (finish: () => void): void => {
    if (settled) return;
    settled = true;
    signal.removeEventListener('abort', onAbort);
    release();
    finish();
  };
  const onAbort = (): void => settle(() => reject(new ExchangeCancelled()));
  signal.addEventListener('abort', onAbort);
  return {
    settle,
    fail: (error) => settle(() => reject(error)),
    get settled() {
      return settled;
    },
  };
}

function udpExchange(exchange: Exchange, signal: AbortSignal): Promise<ExchangeReply> {
  const { server, query, expected, timeoutMs, retries } = exchange;
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(server.family === 6 ? 'udp6' : 'udp4');
    const ignored: string[] = [];
    let attempts = 0;
    let timer: NodeJS.Timeout | undefined;
    const end = settler(signal, reject, () => {
      clearTimeout(timer);
      socket.close();
    });
    const send = (): void => {
      attempts++;
      socket.send(query, (error) => {
        if (error) end.fail(error);
      });
      timer = setTimeout(() => {
        if (attempts <= retries) send();
        else end.fail(new ExchangeTimeout('udp', attempts, ignored));
      }, timeoutMs);
    };
    // A connected socket hears the ICMP port-unreachable (ECONNREFUSED) and
    // only takes datagrams from the server's address and port.
    socket.on('error', (error) => end.fail(error));
    socket.on('message', (bytes) => {
      const verdict = judge(bytes, expected);
      if (typeof verdict === 'string') ignored.push(verdict);
      else {
        const reply = { bytes, message: verdict, transport: 'udp' as const, attempts, ignored };
        end.settle(() => resolve({ ...reply, truncatedOverUdp: false }));
      }
    });
    socket.connect(server.port, server.host, () => {
      if (!end.settled) send();
    });
  });
}

function tcpExchange(
  exchange: Exchange,
  signal: AbortSignal,
  attempts: number,
  earlierIgnored: string[],
): Promise<ExchangeReply> {
  const { server, query, expected, timeoutMs } = exchange;
  return new Promise((resolve, reject) => {
    const ignored = [...earlierIgnored];
    const socket = net.connect({ host: server.host, port: server.port });
    let pending = Buffer.alloc(0);
    const timer = setTimeout(
      () => end.fail(new ExchangeTimeout('tcp', attempts, ignored)),
      timeoutMs,
    );
    const end = settler(signal, reject, () => {
      clearTimeout(timer);
      socket.destroy();
    });
    socket.on('error', (error) => end.fail(error));
    socket.on('connect', () => {
      const length = Buffer.alloc(tcpLengthBytes);
      length.writeUInt16BE(query.length);
      socket.write(Buffer.concat([length, query]));
    });
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= tcpLengthBytes) {
        const size = pending.readUInt16BE(0);
        if (pending.length < tcpLengthBytes + size) return;
        const bytes = pending.subarray(tcpLengthBytes, tcpLengthBytes + size);
        pending = pending.subarray(tcpLengthBytes + size);
        const verdict = judge(bytes, expected);
        if (typeof verdict === 'string') {
          ignored.push(verdict);
          continue;
        }
        const reply = { bytes, message: verdict, transport: 'tcp' as const, attempts, ignored };
        end.settle(() => resolve({ ...reply, truncatedOverUdp: false }));
        return;
      }
    });
    socket.on('end', () =>
      end.fail(Object.assign(new Error('the server closed the connection'), { code: 'EOF' })),
    );
  });
}
