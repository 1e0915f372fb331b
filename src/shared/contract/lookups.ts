import { z } from 'zod';
import { DnsServer, Family, HostName, IpAddress, Port } from './fields';

export const HostCall = z.enum(['getaddrinfo', 'gethostbyname', 'gethostbyname_ex']);
export type HostCall = z.infer<typeof HostCall>;

export const HostLookupArgs = z.object({
  host: HostName,
  family: Family.default('any'),
  call: HostCall.default('getaddrinfo'),
});

export const ResolvedAddress = z.object({
  address: z.string(),
  family: z.union([z.literal(4), z.literal(6)]),
});
export type ResolvedAddress = z.infer<typeof ResolvedAddress>;

export const HostLookupResult = z.object({
  call: HostCall,
  host: z.string(),
  /** The name the resolver settled on (gethostbyname_ex's first field). */
  canonicalName: z.string(),
  aliases: z.array(z.string()),
  addresses: z.array(ResolvedAddress),
  elapsedMs: z.number(),
});
export type HostLookupResult = z.infer<typeof HostLookupResult>;

export const AddressCall = z.enum(['gethostbyaddr', 'getnameinfo']);
export type AddressCall = z.infer<typeof AddressCall>;

export const AddressLookupArgs = z
  .object({
    address: IpAddress,
    call: AddressCall.default('gethostbyaddr'),
    port: Port.optional(),
  })
  .superRefine((value, context) => {
    if (value.call === 'getnameinfo' && value.port === undefined)
      context.addIssue({
        code: 'custom',
        path: ['port'],
        message: 'is needed for getnameinfo',
      });
  });

export const AddressLookupResult = z.object({
  call: AddressCall,
  address: z.string(),
  hostname: z.string(),
  aliases: z.array(z.string()),
  port: z.number().nullable(),
  service: z.string().nullable(),
  elapsedMs: z.number(),
});
export type AddressLookupResult = z.infer<typeof AddressLookupResult>;

export const DnsRecordType = z.enum(
  ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'SRV', 'NS', 'SOA', 'PTR', 'CAA'],
  { error: 'must be one of A, AAAA, CNAME, MX, TXT, SRV, NS, SOA, PTR, CAA' },
);
export type DnsRecordType = z.infer<typeof DnsRecordType>;

export const DnsQueryArgs = z.object({
  /** A domain name, or for PTR also an IP address (turned into its reverse name). */
  name: HostName,
  type: DnsRecordType.default('A'),
  /** Empty or absent: the system's resolver configuration. */
  server: z.union([z.literal(''), DnsServer]).optional(),
  timeoutMs: z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number of milliseconds' })
    .min(100, { error: 'must be at least 100 ms' })
    .max(60_000, { error: 'must be at most 60000 ms' })
    .default(5000),
});

export const DnsRecord = z.object({
  type: DnsRecordType,
  /** Seconds, where the resolver reports it (A and AAAA; SOA's minimum). */
  ttl: z.number().nullable(),
  /** One line a person can read and copy, like dig's answer section. */
  value: z.string(),
  fields: z.record(z.string(), z.union([z.string(), z.number()])),
});
export type DnsRecord = z.infer<typeof DnsRecord>;

export const DnsQueryResult = z.object({
  name: z.string(),
  /** The name actually asked (for PTR by address, the in-addr.arpa / ip6.arpa name). */
  queriedName: z.string(),
  type: DnsRecordType,
  /** "system" or the server asked, as "ip:port". */
  server: z.string(),
  records: z.array(DnsRecord),
  elapsedMs: z.number(),
});
export type DnsQueryResult = z.infer<typeof DnsQueryResult>;

export const lookupsCommands = {
  'lookup.host': { args: HostLookupArgs, result: HostLookupResult },
  'lookup.address': { args: AddressLookupArgs, result: AddressLookupResult },
  'lookup.dns': { args: DnsQueryArgs, result: DnsQueryResult },
} as const;
