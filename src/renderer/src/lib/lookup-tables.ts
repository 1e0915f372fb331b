import type { LookupResult } from '../state/lookups.svelte';
import type { MessageKey } from './messages';

export interface ResultTable {
  columns: string[];
  rows: string[][];
  summary: string;
}

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** Lays a lookup's result out as rows a person can read and copy (DNS has a view of its own). */
export function resultTable(
  value: Exclude<LookupResult, { kind: 'dns' }>,
  t: Translate,
): ResultTable {
  switch (value.kind) {
    case 'host': {
      const result = value.result;
      const rows = result.addresses.map((entry) => [`IPv${entry.family}`, entry.address]);
      if (result.call === 'gethostbyname_ex') {
        rows.unshift([t('rowCanonicalName'), result.canonicalName]);
        rows.splice(1, 0, [t('rowAliases'), result.aliases.join(' ') || '—']);
      }
      return {
        columns: [t('colFamily'), t('colAddress')],
        rows,
        summary: t('summaryAddresses', { count: result.addresses.length, ms: result.elapsedMs }),
      };
    }
    case 'address': {
      const result = value.result;
      const rows = [
        [t('colAddress'), result.address],
        [t('rowHostname'), result.hostname],
      ];
      if (result.aliases.length > 0) rows.push([t('rowAliases'), result.aliases.join(' ')]);
      if (result.port !== null) rows.push([t('colPort'), String(result.port)]);
      if (result.service !== null) rows.push([t('rowService'), result.service]);
      return {
        columns: [t('colField'), t('colValue')],
        rows,
        summary: t('summaryName', { name: result.hostname, ms: result.elapsedMs }),
      };
    }
    case 'serviceByName':
    case 'serviceByPort': {
      const entry = value.result.entry;
      return {
        columns: [t('colName'), t('colPort'), t('colProtocol'), t('colAliases'), t('colComment')],
        rows: [
          [
            entry.name,
            String(entry.port),
            entry.protocol,
            entry.aliases.join(' '),
            entry.comment ?? '',
          ],
        ],
        summary: `${entry.name} = ${entry.port}/${entry.protocol}`,
      };
    }
  }
}

/** Tab-separated text, so a pasted table lands in a spreadsheet's columns. */
export function tableAsText(table: ResultTable): string {
  return [table.columns, ...table.rows].map((row) => row.join('\t')).join('\n');
}
