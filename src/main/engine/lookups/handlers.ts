import type { lookupsCommands } from '@shared/contract/lookups';
import type { servicesCommands } from '@shared/contract/services';
import type { HandlersFor } from '../handlers';
import type { Lookups } from './lookups';
import type { ServicesDatabase } from './services-db';

export function lookupsHandlers(lookups: Lookups): HandlersFor<keyof typeof lookupsCommands> {
  return {
    'lookup.host': (args) => lookups.host(args),
    'lookup.address': (args) => lookups.address(args),
    'lookup.dns': (args) => lookups.dns(args),
    'lookup.dnsServers': async () => lookups.dnsServers(),
  };
}

export function servicesHandlers(
  services: ServicesDatabase,
): HandlersFor<keyof typeof servicesCommands> {
  return {
    'services.byName': async (args) => services.byName(args.name, args.protocol),
    'services.byPort': async (args) => services.byPort(args.port, args.protocol),
    'services.search': async (args) => services.search(args.prefix, args.protocol, args.limit),
    'services.source': async () => services.source(),
  };
}
