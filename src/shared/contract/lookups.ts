import { z } from 'zod';
import { DnsQueryArgs, DnsQueryResult, DnsSystemServers } from './dns';
import { Family, HostName, IpAddress, Port } from './fields';

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

// DNS record queries have a module of their own.
export * from './dns';

export const lookupsCommands = {
  'lookup.host': { args: HostLookupArgs, result: HostLookupResult },
  'lookup.address': { args: AddressLookupArgs, result: AddressLookupResult },
  'lookup.dns': { args: DnsQueryArgs, result: DnsQueryResult },
  'lookup.dnsServers': { args: z.object({}), result: DnsSystemServers },
} as const;
