import type { SocketAddress } from './contract/log';

// How an address and port are written everywhere: in log messages, exports and the UI.

/** "host:port", with an IPv6 address in brackets as people write it ("[::1]:53"). */
export function formatEndpoint(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** A socket address as "host:port", or `missing` when it is not known yet. */
export function formatAddress(address: SocketAddress | null, missing = ''): string {
  return address === null ? missing : formatEndpoint(address.address, address.port);
}
