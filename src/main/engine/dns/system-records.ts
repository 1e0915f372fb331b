import type { AnyRecord, CaaRecord, TlsaRecord } from 'node:dns';
import type { Resolver } from 'node:dns/promises';
import type { z } from 'zod';
import { DnsQueryArgs } from '@shared/contract/dns';
import type { DnsNote, DnsRecord, DnsRecordType } from '@shared/contract/dns';
import {
  absoluteName,
  addressData,
  caaData,
  mxData,
  nameData,
  soaData,
  srvData,
  txtData,
} from './presentation';
import type { RecordData } from './presentation';

// Records through the system resolver (c-ares with the OS's configuration).
// c-ares reports a TTL only for A and AAAA (null elsewhere: unknown, not zero), and hands character-strings back
// one byte per character, so TXT and CAA text is turned back into its bytes
// and decoded the same way as on the DNS client path.

/** The bytes c-ares read, from its byte-per-character string. */
function bytesOf(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

function caaParts(caa: CaaRecord): RecordData {
  // Node puts the tag in as a key beside `critical` (the flags byte).
  const [tag = '', value = ''] =
    Object.entries(caa).find(([key]) => key !== 'critical' && key !== 'type') ?? [];
  return caaData(caa.critical, tag, bytesOf(String(value)));
}

/** TLSA as dig shows it: usage, selector, matching type, then the data in hex. */
function tlsaData(record: TlsaRecord): RecordData {
  const { certUsage, selector, match } = record;
  const hex = Buffer.from(record.data).toString('hex').toUpperCase();
  return {
    value: `${certUsage} ${selector} ${match} ${hex}`,
    fields: { certUsage, selector, match },
  };
}

function anyRecordData(record: AnyRecord): { type: string; ttl: number | null; data: RecordData } {
  // Node 24's resolveAny hands TLSA back without its `type`: known by its shape.
  if ('certUsage' in record) return { type: 'TLSA', ttl: null, data: tlsaData(record) };
  switch (record.type) {
    case 'A':
    case 'AAAA':
      return { type: record.type, ttl: record.ttl, data: addressData(record.address) };
    case 'CNAME':
      return { type: 'CNAME', ttl: null, data: nameData('target', record.value) };
    case 'NS':
      return { type: 'NS', ttl: null, data: nameData('nameserver', record.value) };
    case 'PTR':
      return { type: 'PTR', ttl: null, data: nameData('hostname', record.value) };
    case 'MX':
      return { type: 'MX', ttl: null, data: mxData(record.priority, record.exchange) };
    case 'TXT':
      return { type: 'TXT', ttl: null, data: txtData(record.entries.map(bytesOf)) };
    case 'SRV':
      return {
        type: 'SRV',
        ttl: null,
        data: srvData(record.priority, record.weight, record.port, record.name),
      };
    case 'SOA':
      return { type: 'SOA', ttl: null, data: soaData(record) };
    case 'CAA':
      return { type: 'CAA', ttl: null, data: caaParts(record) };
    case 'NAPTR': {
      const { order, preference, flags, service, regexp, replacement } = record;
      const value = `${order} ${preference} "${flags}" "${service}" "${regexp}" ${absoluteName(replacement)}`;
      return { type: 'NAPTR', ttl: null, data: { value, fields: { order, preference } } };
    }
  }
}

/** Asks the system resolver for one record type and lays each answer out as the DNS client does. */
export async function systemRecords(
  resolver: Resolver,
  type: DnsRecordType,
  name: string,
): Promise<DnsRecord[]> {
  const owner = absoluteName(name);
  const record = (recordType: string, ttl: number | null, data: RecordData): DnsRecord => ({
    name: owner,
    type: recordType,
    class: 'IN',
    ttl,
    ...data,
  });
  switch (type) {
    case 'A':
      return (await resolver.resolve4(name, { ttl: true })).map(({ address, ttl }) =>
        record('A', ttl, addressData(address)),
      );
    case 'AAAA':
      return (await resolver.resolve6(name, { ttl: true })).map(({ address, ttl }) =>
        record('AAAA', ttl, addressData(address)),
      );
    case 'CNAME':
      return (await resolver.resolveCname(name)).map((target) =>
        record('CNAME', null, nameData('target', target)),
      );
    case 'MX':
      return (await resolver.resolveMx(name)).map(({ priority, exchange }) =>
        record('MX', null, mxData(priority, exchange)),
      );
    case 'TXT':
      return (await resolver.resolveTxt(name)).map((strings) =>
        record('TXT', null, txtData(strings.map(bytesOf))),
      );
    case 'SRV':
      return (await resolver.resolveSrv(name)).map((srv) =>
        record('SRV', null, srvData(srv.priority, srv.weight, srv.port, srv.name)),
      );
    case 'NS':
      return (await resolver.resolveNs(name)).map((host) =>
        record('NS', null, nameData('nameserver', host)),
      );
    case 'SOA': {
      const soa = await resolver.resolveSoa(name);
      return [record('SOA', null, soaData(soa))];
    }
    case 'PTR':
      return (await resolver.resolvePtr(name)).map((host) =>
        record('PTR', null, nameData('hostname', host)),
      );
    case 'CAA':
      return (await resolver.resolveCaa(name)).map((caa) => record('CAA', null, caaParts(caa)));
    case 'ANY':
      return (await resolver.resolveAny(name)).map((answer) => {
        const { type: recordType, ttl, data } = anyRecordData(answer);
        return record(recordType, ttl, data);
      });
  }
}

/** The options only our own DNS client can honour, in words. */
const clientOnlyOptions = {
  transport: 'transport',
  ednsBufferSize: 'EDNS buffer size',
  dnssecOk: 'DO bit',
  recursionDesired: 'RD flag',
  retries: 'retries',
} as const;
type ClientOnlyOption = keyof typeof clientOnlyOptions;

/** A note naming the client-only options the user changed, which the system resolver ignores. */
export function ignoredSystemOptions(args: z.output<typeof DnsQueryArgs>): DnsNote[] {
  const defaults = DnsQueryArgs.parse({ name: args.name });
  const changed = (Object.keys(clientOnlyOptions) as ClientOnlyOption[]).filter(
    (key) => args[key] !== defaults[key],
  );
  if (changed.length === 0) return [];
  const words = changed.map((key) => clientOnlyOptions[key]).join(', ');
  return [
    {
      kind: 'system-ignores-options',
      text: `The system resolver chooses its own ${words}; name a DNS server to set them.`,
      params: { options: changed.join(',') },
    },
  ];
}
