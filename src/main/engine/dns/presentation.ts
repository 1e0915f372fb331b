import type { DnsRecord } from '@shared/contract/dns';

// Record data in dig's presentation format, built from the record's parts, so
// that the DNS client and the system resolver path render a record the same way.

type Fields = DnsRecord['fields'];

export interface RecordData {
  value: string;
  fields: Fields;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A domain name as dig prints it: absolute, with its trailing dot. */
export function absoluteName(name: string): string {
  if (name === '' || name === '.') return '.';
  return name.endsWith('.') ? name : `${name}.`;
}

/** \DDD, dig's escape for a byte that is not printable ASCII. */
export function decimalEscape(byte: number): string {
  return `\\${String(byte).padStart(3, '0')}`;
}

function escapeCharacter(character: string): string {
  if (character === '"' || character === '\\') return `\\${character}`;
  // Control characters (C0, DEL, C1) stay escaped as their bytes, as dig does.
  if (/\p{Cc}/u.test(character))
    return [...Buffer.from(character, 'utf8')].map(decimalEscape).join('');
  return character;
}

/**
 * A character-string quoted as dig quotes it, except that text that is valid
 * UTF-8 is shown decoded; other bytes outside printable ASCII become \DDD.
 */
export function quotedBytes(bytes: Uint8Array): string {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    let escaped = '';
    for (const byte of bytes)
      escaped +=
        byte >= 0x20 && byte < 0x7f
          ? escapeCharacter(String.fromCharCode(byte))
          : decimalEscape(byte);
    return `"${escaped}"`;
  }
  let escaped = '';
  for (const character of text) escaped += escapeCharacter(character);
  return `"${escaped}"`;
}

/** The text of a character-string for a person: UTF-8 where valid, else Latin-1 (byte per character). */
function plainText(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return Buffer.from(bytes).toString('latin1');
  }
}

export function addressData(address: string): RecordData {
  return { value: address, fields: { address } };
}

/** CNAME, DNAME, NS and PTR: one name; `field` says what it is. */
export function nameData(field: 'target' | 'nameserver' | 'hostname', name: string): RecordData {
  return { value: absoluteName(name), fields: { [field]: absoluteName(name) } };
}

export function mxData(priority: number, exchange: string): RecordData {
  const host = absoluteName(exchange);
  return { value: `${priority} ${host}`, fields: { priority, exchange: host } };
}

export function srvData(
  priority: number,
  weight: number,
  port: number,
  target: string,
): RecordData {
  const host = absoluteName(target);
  return {
    value: `${priority} ${weight} ${port} ${host}`,
    fields: { priority, weight, port, target: host },
  };
}

export interface SoaParts {
  nsname: string;
  hostmaster: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minttl: number;
}

export function soaData(soa: SoaParts): RecordData {
  const nsname = absoluteName(soa.nsname);
  const hostmaster = absoluteName(soa.hostmaster);
  const { serial, refresh, retry, expire, minttl } = soa;
  return {
    value: `${nsname} ${hostmaster} ${serial} ${refresh} ${retry} ${expire} ${minttl}`,
    fields: { nsname, hostmaster, serial, refresh, retry, expire, minttl },
  };
}

/** TXT: every character-string quoted on its own, as sent. */
export function txtData(strings: readonly Uint8Array[]): RecordData {
  return {
    value: strings.map(quotedBytes).join(' '),
    fields: { text: strings.map(plainText).join(''), strings: strings.length },
  };
}

export function caaData(flags: number, tag: string, value: Uint8Array): RecordData {
  return {
    value: `${flags} ${tag} ${quotedBytes(value)}`,
    fields: { flags, tag, value: plainText(value) },
  };
}

/** RFC 3597's generic form, for types this tool does not lay out itself. */
export function genericData(rdata: Uint8Array): RecordData {
  const hex = Buffer.from(rdata).toString('hex').toUpperCase();
  return {
    value: rdata.length === 0 ? '\\# 0' : `\\# ${rdata.length} ${hex}`,
    fields: { length: rdata.length },
  };
}
