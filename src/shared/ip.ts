// Address syntax checks shared by the forms and the engine's boundary.
// No Node imports here: the renderer uses the same functions.

const ipv4Octet = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export function isIPv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((part) => ipv4Octet.test(part));
}

/**
 * An IPv6 address as its eight 16-bit groups, or null when the text is not one.
 * `::` expands to the missing zero groups; an embedded IPv4 tail (::ffff:1.2.3.4)
 * is the last two groups; a zone index (fe80::1%eth0) is allowed and dropped.
 * The one IPv6 parser: validation, pcapng addresses and ip6.arpa names use it.
 */
export function parseIPv6(text: string): number[] | null {
  const percent = text.indexOf('%');
  let address = percent === -1 ? text : text.slice(0, percent);
  if (percent !== -1 && !/^[\w.-]+$/.test(text.slice(percent + 1))) return null;
  if (address.length < 2 || address.length > 45) return null;
  let v4Tail: number[] | null = null;
  const lastColon = address.lastIndexOf(':');
  const tail = address.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!isIPv4(tail)) return null;
    const [a = 0, b = 0, c = 0, d = 0] = tail.split('.').map(Number);
    v4Tail = [(a << 8) | b, (c << 8) | d];
    address = `${address.slice(0, lastColon + 1)}0:0`;
  }
  const hex = /^[0-9a-fA-F]{1,4}$/;
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (half: string): string[] => (half === '' ? [] : half.split(':'));
  let groups: string[];
  if (halves.length === 1) {
    groups = groupsOf(address);
    if (groups.length !== 8) return null;
  } else {
    const head = groupsOf(halves[0] ?? '');
    const rest = groupsOf(halves[1] ?? '');
    if (head.length + rest.length >= 8) return null;
    groups = [...head, ...Array<string>(8 - head.length - rest.length).fill('0'), ...rest];
  }
  if (!groups.every((group) => hex.test(group))) return null;
  const values = groups.map((group) => parseInt(group, 16));
  if (v4Tail !== null) values.splice(6, 2, ...v4Tail);
  return values;
}

export function isIPv6(text: string): boolean {
  return parseIPv6(text) !== null;
}

export function ipFamily(text: string): 4 | 6 | 0 {
  if (isIPv4(text)) return 4;
  if (isIPv6(text)) return 6;
  return 0;
}

/** Finds why a host name is not one, or returns null when it is fine. */
export function hostNameProblem(text: string): string | null {
  if (text.length === 0) return 'must not be empty';
  if (ipFamily(text) !== 0) return null;
  const space = text.search(/\s/);
  if (space !== -1) return `contains a space at position ${space + 1}`;
  if (text.length > 253) return `is ${text.length} characters long; a host name has at most 253`;
  const stray = text.search(/[^A-Za-z0-9._-]/);
  if (stray !== -1) {
    if (text.includes(':')) return 'is not a valid IPv6 address';
    return `has a character that cannot be in a host name ("${text[stray]}") at position ${stray + 1}`;
  }
  const labels = text.replace(/\.$/, '').split('.');
  for (const label of labels) {
    if (label.length === 0) return 'has an empty label (two dots in a row, or a leading dot)';
    if (label.length > 63)
      return `has a label of ${label.length} characters; a label has at most 63`;
  }
  return null;
}

export interface HostPort {
  host: string;
  port: number | null;
}

/**
 * Splits "host", "host:port", "[v6]:port" or a bare IPv6 address.
 * Returns the problem as a string when the text is neither.
 */
export function parseHostPort(text: string): HostPort | string {
  const trimmed = text.trim();
  if (trimmed === '') return 'must not be empty';
  if (trimmed.startsWith('[')) {
    const close = trimmed.indexOf(']');
    if (close === -1) return 'has "[" without a closing "]"';
    const host = trimmed.slice(1, close);
    if (!isIPv6(host)) return `"${host}" is not an IPv6 address`;
    const rest = trimmed.slice(close + 1);
    if (rest === '') return { host, port: null };
    if (!rest.startsWith(':')) return 'expects ":port" after "]"';
    const port = parsePort(rest.slice(1));
    return typeof port === 'string' ? port : { host, port };
  }
  if (isIPv6(trimmed)) return { host: trimmed, port: null };
  const colon = trimmed.lastIndexOf(':');
  if (colon === -1) return { host: trimmed, port: null };
  if (colon === 0) return 'has no host before ":port"';
  if (trimmed.indexOf(':') !== colon) return 'is not a valid IPv6 address (write [address]:port)';
  const port = parsePort(trimmed.slice(colon + 1));
  return typeof port === 'string' ? port : { host: trimmed.slice(0, colon), port };
}

function parsePort(text: string): number | string {
  if (!/^\d{1,5}$/.test(text)) return `port "${text}" is not a number from 1 to 65535`;
  const port = Number(text);
  if (port < 1 || port > 65535) return `port ${port} is out of range (1 to 65535)`;
  return port;
}
