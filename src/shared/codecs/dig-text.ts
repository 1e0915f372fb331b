import type { DnsMessage, DnsQueryResult, DnsRecord } from '../contract/dns';

// A DNS result as the text dig prints, for people to copy and compare: the
// same sections, the same columns (tab-aligned as dig aligns them), the same
// record data. Record lines match `dig @server -p port name type` line for line.

const tabWidth = 8;

/**
 * Fields laid out at BIND's column stops: tabs up to the next stop, or one
 * space when the text already reaches it.
 */
function columns(fields: readonly string[], stops: readonly number[]): string {
  let line = fields[0] ?? '';
  let column = line.length;
  fields.slice(1).forEach((field, index) => {
    const stop = stops[index] ?? 0;
    if (column >= stop) {
      line += ' ';
      column += 1;
    } else {
      while (column < stop) {
        line += '\t';
        column = (Math.floor(column / tabWidth) + 1) * tabWidth;
      }
    }
    line += field;
    column += field.length;
  });
  return line;
}

/** One resource record line; a TTL the system resolver did not report shows as "-". */
export function recordLine(record: DnsRecord): string {
  const ttl = record.ttl === null ? '-' : String(record.ttl);
  return columns([record.name, ttl, record.class, record.type, record.value], [24, 32, 40, 48]);
}

function flagWords(message: DnsMessage): string {
  const { flags } = message;
  const order = ['qr', 'aa', 'tc', 'rd', 'ra', 'ad', 'cd'] as const;
  return order.filter((flag) => flags[flag]).join(' ');
}

function section(title: string, records: readonly DnsRecord[]): string[] {
  if (records.length === 0) return [];
  return [`;; ${title} SECTION:`, ...records.map(recordLine), ''];
}

/** "127.0.0.1:53" / "[::1]:53" as dig's `@host -p port` and `host#port(host)`. */
function serverParts(server: string): { host: string; port: string } {
  const colon = server.lastIndexOf(':');
  return { host: server.slice(0, colon).replace(/^\[|\]$/g, ''), port: server.slice(colon + 1) };
}

export function digText(result: DnsQueryResult): string {
  const { message } = result;
  const took = Math.round(result.elapsedMs);
  if (message === null) {
    return [
      `; <<>> sockscope <<>> ${result.queriedName} ${result.type}`,
      ";; Answered by the system resolver (the system's DNS configuration): no header or",
      ';; sections beyond the answer, and TTLs only for A and AAAA ("-" where not reported).',
      '',
      ...section('ANSWER', result.records),
      `;; Query time: ${took} msec`,
      ';; SERVER: system resolver',
      '',
    ].join('\n');
  }
  const { host, port } = serverParts(result.server);
  const lines = [
    `; <<>> sockscope <<>> @${host} -p ${port} ${result.queriedName} ${result.type}`,
    `;; ->>HEADER<<- opcode: ${message.opcode}, status: ${message.rcode}, id: ${message.id}`,
    `;; flags: ${flagWords(message)}; QUERY: ${message.question.length}, ANSWER: ${message.answer.length}, AUTHORITY: ${message.authority.length}, ADDITIONAL: ${message.additionalCount}`,
    '',
  ];
  if (message.edns !== null) {
    const flags = message.edns.dnssecOk ? ' do' : '';
    lines.push(
      ';; OPT PSEUDOSECTION:',
      `; EDNS: version: ${message.edns.version}, flags:${flags}; udp: ${message.edns.udpPayloadSize}`,
    );
  }
  lines.push(
    ';; QUESTION SECTION:',
    ...message.question.map((question) =>
      columns([`;${question.name}`, question.class, question.type], [32, 40]),
    ),
    '',
    ...section('ANSWER', message.answer),
    ...section('AUTHORITY', message.authority),
    ...section('ADDITIONAL', message.additional),
    `;; Query time: ${took} msec`,
    `;; SERVER: ${host}#${port}(${host}) (${(result.transport ?? 'udp').toUpperCase()})`,
    `;; MSG SIZE  rcvd: ${result.replyBytes ?? 0}`,
    '',
  );
  return lines.join('\n');
}
