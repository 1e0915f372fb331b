import { z } from 'zod';
import { DnsServer, HostName } from './fields';

// DNS record queries: what a user may ask (server, transport, EDNS, flags) and
// everything a reply carries, laid out the way dig reports it.

export const DnsRecordType = z.enum(
  ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'SRV', 'NS', 'SOA', 'PTR', 'CAA', 'ANY'],
  { error: 'must be one of A, AAAA, CNAME, MX, TXT, SRV, NS, SOA, PTR, CAA, ANY' },
);
export type DnsRecordType = z.infer<typeof DnsRecordType>;

export const DnsTransport = z.enum(['udp', 'tcp'], { error: 'must be udp or tcp' });
export type DnsTransport = z.infer<typeof DnsTransport>;

const wholeNumber = (unit: string) =>
  z
    .number({ error: 'must be a number' })
    .int({ error: `must be a whole number${unit === '' ? '' : ` of ${unit}`}` });

export const DnsQueryArgs = z
  .object({
    /** A domain name, or for PTR also an IP address (turned into its reverse name). */
    name: HostName,
    type: DnsRecordType.default('A'),
    /** Empty or absent: the system's resolver configuration. */
    server: z.union([z.literal(''), DnsServer]).optional(),
    /** For each try (UDP) or the whole exchange (TCP). */
    timeoutMs: wholeNumber('milliseconds')
      .min(100, { error: 'must be at least 100 ms' })
      .max(60_000, { error: 'must be at most 60000 ms' })
      .default(2000),
    /** Further tries after a UDP try that got no acceptable reply. */
    retries: wholeNumber('')
      .min(0, { error: 'must be from 0 to 10' })
      .max(10, { error: 'must be from 0 to 10' })
      .default(2),
    /** UDP first (TCP when the answer is truncated), or TCP only. */
    transport: DnsTransport.default('udp'),
    /** EDNS0 UDP buffer size advertised; 0 sends no OPT record (plain 512-byte DNS). */
    ednsBufferSize: wholeNumber('bytes')
      .refine((size) => size === 0 || (size >= 512 && size <= 65535), {
        error: 'must be 0 (no EDNS) or from 512 to 65535',
      })
      .default(1232),
    /** The DNSSEC OK bit (needs EDNS). */
    dnssecOk: z.boolean({ error: 'must be true or false' }).default(false),
    /** The RD flag: ask the server to recurse. */
    recursionDesired: z.boolean({ error: 'must be true or false' }).default(true),
  })
  .superRefine((value, context) => {
    // DO travels in the OPT record, so it cannot be sent without EDNS.
    if (value.dnssecOk && value.ednsBufferSize === 0)
      context.addIssue({
        code: 'custom',
        path: ['dnssecOk'],
        message: 'needs EDNS: set an EDNS buffer size (the DO bit travels in the OPT record)',
      });
  });
export type DnsQueryInput = z.input<typeof DnsQueryArgs>;

export const DnsRecord = z.object({
  /** Owner name, fully qualified with its trailing dot, as dig prints it. */
  name: z.string(),
  /** A, MX, … or TYPEnnn for types without a mnemonic. */
  type: z.string(),
  /** IN, CH, … or CLASSnnn. */
  class: z.string(),
  /** Seconds; null only where the system resolver does not report one. */
  ttl: z.number().nullable(),
  /** The record data in dig's presentation format (TXT strings each quoted). */
  value: z.string(),
  fields: z.record(z.string(), z.union([z.string(), z.number()])),
});
export type DnsRecord = z.infer<typeof DnsRecord>;

export const DnsQuestion = z.object({ name: z.string(), type: z.string(), class: z.string() });
export type DnsQuestion = z.infer<typeof DnsQuestion>;

export const DnsHeaderFlags = z.object({
  qr: z.boolean(),
  aa: z.boolean(),
  tc: z.boolean(),
  rd: z.boolean(),
  ra: z.boolean(),
  ad: z.boolean(),
  cd: z.boolean(),
});
export type DnsHeaderFlags = z.infer<typeof DnsHeaderFlags>;

export const DnsEdns = z.object({
  version: z.number(),
  udpPayloadSize: z.number(),
  dnssecOk: z.boolean(),
});

/** A reply as it came off the wire, decoded. */
export const DnsMessage = z.object({
  id: z.number(),
  opcode: z.string(),
  /** NOERROR, NXDOMAIN, … */
  rcode: z.string(),
  rcodeValue: z.number(),
  flags: DnsHeaderFlags,
  question: z.array(DnsQuestion),
  answer: z.array(DnsRecord),
  authority: z.array(DnsRecord),
  /** Without the OPT pseudo-record, which is `edns`. */
  additional: z.array(DnsRecord),
  edns: DnsEdns.nullable(),
  /** The additional count in the header, OPT included (as dig counts it). */
  additionalCount: z.number(),
});
export type DnsMessage = z.infer<typeof DnsMessage>;

export const DnsNoteKind = z.enum([
  'truncated-over-udp',
  'ignored-replies',
  'empty-answer',
  'see-authority',
  'system-ignores-options',
]);
export type DnsNoteKind = z.infer<typeof DnsNoteKind>;

/** Something worth knowing that did not stop the query. */
export const DnsNote = z.object({
  kind: DnsNoteKind,
  /** In English, as the engine's messages are; the UI says it in the user's language. */
  text: z.string(),
  /** What the UI's wording fills in (counts, types, option names). */
  params: z.record(z.string(), z.union([z.string(), z.number()])),
});
export type DnsNote = z.infer<typeof DnsNote>;

/** Which code answered: our own DNS client, or the system resolver (c-ares, system config). */
export const DnsPath = z.enum(['dns-client', 'system-resolver']);
export type DnsPath = z.infer<typeof DnsPath>;

export const DnsQueryResult = z.object({
  name: z.string(),
  /** The name actually asked (for PTR by address, the in-addr.arpa / ip6.arpa name). */
  queriedName: z.string(),
  type: DnsRecordType,
  path: DnsPath,
  /** "system" or the server asked, as "ip:port". */
  server: z.string(),
  /** How the reply came; null on the system resolver path (c-ares decides). */
  transport: DnsTransport.nullable(),
  /** The answer section (all the system resolver path reports). */
  records: z.array(DnsRecord),
  /** The whole reply; null on the system resolver path. */
  message: DnsMessage.nullable(),
  /** Size of the reply in bytes (DNS message, without TCP's length prefix). */
  replyBytes: z.number().nullable(),
  /** Tries sent, over every transport. */
  attempts: z.number(),
  /** Things worth knowing that did not stop the query (e.g. a spoofed reply ignored). */
  notes: z.array(DnsNote),
  elapsedMs: z.number(),
});
export type DnsQueryResult = z.infer<typeof DnsQueryResult>;

/** The DNS servers the system's resolver configuration names. */
export const DnsSystemServers = z.object({
  servers: z.array(z.string()),
  /** Where they come from, e.g. "/etc/resolv.conf". */
  source: z.string(),
});
export type DnsSystemServers = z.infer<typeof DnsSystemServers>;
