import { z } from 'zod';
import { Port, Protocol } from './fields';

export const ServiceEntry = z.object({
  name: z.string(),
  port: z.number(),
  protocol: z.string(),
  aliases: z.array(z.string()),
  comment: z.string().nullable(),
});
export type ServiceEntry = z.infer<typeof ServiceEntry>;

export const ServicesSource = z.object({
  /** "system" when the OS's services file was read, "builtin" for the shipped table. */
  kind: z.enum(['system', 'builtin']),
  path: z.string().nullable(),
  entries: z.number(),
  /** Why the system file was not used, when it was not. */
  problem: z.string().nullable(),
});
export type ServicesSource = z.infer<typeof ServicesSource>;

export const ServiceName = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(64, { error: 'is longer than 64 characters' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._+\-/]*$/, {
    error: 'may hold only letters, digits and . _ + - / (and start with a letter or digit)',
  });

export const ServiceByNameArgs = z.object({ name: ServiceName, protocol: Protocol.default('tcp') });
export const ServiceByPortArgs = z.object({ port: Port, protocol: Protocol.default('tcp') });
export const ServiceLookupResult = z.object({ entry: ServiceEntry, source: ServicesSource });
export type ServiceLookupResult = z.infer<typeof ServiceLookupResult>;

export const ServiceSearchArgs = z.object({
  prefix: z.string().max(64, { error: 'is longer than 64 characters' }),
  protocol: z.enum(['any', 'tcp', 'udp']).default('any'),
  limit: z.number().int().min(1).max(200).default(20),
});
export const ServiceSearchResult = z.object({
  entries: z.array(ServiceEntry),
  source: ServicesSource,
});
export type ServiceSearchResult = z.infer<typeof ServiceSearchResult>;

export const servicesCommands = {
  'services.byName': { args: ServiceByNameArgs, result: ServiceLookupResult },
  'services.byPort': { args: ServiceByPortArgs, result: ServiceLookupResult },
  'services.search': { args: ServiceSearchArgs, result: ServiceSearchResult },
  'services.source': { args: z.object({}), result: ServicesSource },
} as const;
