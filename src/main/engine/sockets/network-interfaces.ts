import { networkInterfaces } from 'node:os';
import type { NetworkInterfaceAddress } from '@shared/contract/udp';

/** IPv4 `address | ~netmask`: the subnet's directed broadcast address. */
export function directedBroadcast(address: string, netmask: string): string | null {
  const octets = address.split('.').map(Number);
  const mask = netmask.split('.').map(Number);
  if (octets.length !== 4 || mask.length !== 4) return null;
  return octets.map((octet, index) => (octet | (~mask[index]! & 0xff)) & 0xff).join('.');
}

/**
 * The machine's interface addresses, with what a UDP socket can do there: the
 * IPv4 directed broadcast address, and what to give as a multicast interface
 * (an IPv4 address, or `::%name` for IPv6, which picks the interface by scope).
 */
export function listInterfaces(): NetworkInterfaceAddress[] {
  const out: NetworkInterfaceAddress[] = [];
  for (const [name, addresses] of Object.entries(networkInterfaces())) {
    for (const entry of addresses ?? []) {
      const v6 = entry.family === 'IPv6';
      out.push({
        name,
        address: entry.address,
        family: v6 ? 'IPv6' : 'IPv4',
        internal: entry.internal,
        scopeId: v6 && entry.scopeid !== undefined ? entry.scopeid : null,
        broadcast: v6 ? null : directedBroadcast(entry.address, entry.netmask),
        multicastInterface: v6 ? `::%${name}` : entry.address,
      });
    }
  }
  return out;
}
