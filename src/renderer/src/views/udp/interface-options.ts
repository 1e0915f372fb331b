import type { NetworkInterfaceAddress } from '@shared/contract';

/**
 * The interfaces a multicast option can name, as select options after a first
 * "default" choice. IPv6 addresses of one interface share its `::%name` scope,
 * so each value is offered once (a select's options are keyed by value).
 */
export function interfaceOptions(
  entries: readonly NetworkInterfaceAddress[],
  defaultLabel: string,
): { value: string; label: string }[] {
  const options = [{ value: '', label: defaultLabel }];
  const seen = new Set<string>(['']);
  for (const entry of entries) {
    if (seen.has(entry.multicastInterface)) continue;
    seen.add(entry.multicastInterface);
    options.push({ value: entry.multicastInterface, label: `${entry.name} · ${entry.address}` });
  }
  return options;
}
