import { randomUUID } from 'node:crypto';
import { readingCharset } from '@shared/contract/log';
import type { DisplayCharset, ExportFormat, LogExportResult } from '@shared/contract/log';
import { decodeForDisplay } from '@shared/codecs/display';
import { ErrorCode, SockscopeError } from '@shared/errors';
import {
  exportCsv,
  exportFileName,
  exportJsonLines,
  exportMimeType,
  exportPcapng,
} from './capture-export';
import { nowUs } from '../clock';
import type { LogStore } from '../log/log-store';

/** An export waits this long to be read before it is dropped. */
const exportLifetimeMs = 10 * 60 * 1000;
const maxExportsHeld = 4;

interface HeldExport {
  data: Buffer;
  timer: NodeJS.Timeout;
}

/**
 * Builds an export of the log once, then hands it out in chunks, so the file
 * crosses either transport without one giant message.
 */
export class Exports {
  private readonly held = new Map<string, HeldExport>();

  constructor(private readonly store: LogStore) {}

  create(
    format: ExportFormat,
    sessionId: string | undefined,
    charset: DisplayCharset,
    ids?: readonly number[],
  ): LogExportResult {
    const wanted = ids === undefined ? null : new Set(ids);
    const records = [...this.store.iterate(sessionId)].filter(
      (record) => wanted === null || wanted.has(record.id),
    );
    const data =
      format === 'pcapng'
        ? exportPcapng(records)
        : format === 'csv'
          ? exportCsv(records, (record) =>
              decodeForDisplay(record.bytes, readingCharset(record, charset)),
            )
          : exportJsonLines(records);
    while (this.held.size >= maxExportsHeld) {
      const oldest = this.held.keys().next().value as string;
      this.drop(oldest);
    }
    const exportId = randomUUID();
    const timer = setTimeout(() => this.drop(exportId), exportLifetimeMs);
    timer.unref();
    this.held.set(exportId, { data, timer });
    return {
      exportId,
      fileName: exportFileName(format, nowUs()),
      mimeType: exportMimeType(format),
      size: data.byteLength,
      records: records.length,
    };
  }

  read(exportId: string, offset: number, length: number): { data: string; done: boolean } {
    const held = this.held.get(exportId);
    if (held === undefined)
      throw new SockscopeError(
        ErrorCode.exportNotFound,
        `No export with id "${exportId}" (it was read to the end, replaced or expired)`,
        { exportId },
      );
    const end = Math.min(offset + length, held.data.byteLength);
    const chunk = held.data.subarray(Math.min(offset, end), end);
    const done = end >= held.data.byteLength;
    if (done) this.drop(exportId);
    return { data: chunk.toString('base64'), done };
  }

  closeAll(): void {
    for (const exportId of [...this.held.keys()]) this.drop(exportId);
  }

  private drop(exportId: string): void {
    const held = this.held.get(exportId);
    if (held === undefined) return;
    clearTimeout(held.timer);
    this.held.delete(exportId);
  }
}
