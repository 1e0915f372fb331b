import { getServers } from 'node:dns';
import type { DnsSystemServers } from '@shared/contract/dns';
import { formatEndpoint } from '@shared/endpoint';
import { parseHostPort } from '@shared/ip';

// The DNS servers the system's resolver is configured with, as the DNS server
// field takes them, so a user can pick one and see its full answer.

/** Where the OS keeps that configuration, in words a user can look up. */
function configurationSource(platform: NodeJS.Platform): string {
  if (platform === 'win32') return 'the Windows network adapter settings';
  return '/etc/resolv.conf';
}

/** c-ares gives "ip", "[v6]" or "ip:port"/"[v6]:port"; the field wants them with a port. */
function withPort(server: string): string {
  const parsed = parseHostPort(server);
  return typeof parsed === 'string' ? server : formatEndpoint(parsed.host, parsed.port ?? 53);
}

export function systemDnsServers(overrides?: readonly string[]): DnsSystemServers {
  if (overrides !== undefined)
    return { servers: overrides.map(withPort), source: 'the engine configuration' };
  return { servers: getServers().map(withPort), source: configurationSource(process.platform) };
}
