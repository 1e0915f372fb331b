import type { LogRecordMeta, LogRecordPreview } from '@shared/contract/log';
import { previewBytes } from '@shared/contract/log';

/** A log record as the engine keeps it: the metadata and every byte. */
export interface StoredRecord extends LogRecordMeta {
  bytes: Uint8Array;
}

/** A record's metadata alone, field by field, so nothing kept beside it (the bytes) leaks out. */
export function recordMeta(record: StoredRecord): LogRecordMeta {
  return {
    id: record.id,
    atUs: record.atUs,
    sessionId: record.sessionId,
    transport: record.transport,
    direction: record.direction,
    local: record.local,
    remote: record.remote,
    size: record.size,
    event: record.event,
    message: record.message,
    params: record.params,
    charset: record.charset,
  };
}

/** A record as batches carry it: its metadata and its first bytes, base64. */
export function recordPreview(record: StoredRecord): LogRecordPreview {
  const bytes = record.bytes;
  const shown = bytes.byteLength > previewBytes ? bytes.subarray(0, previewBytes) : bytes;
  const meta = recordMeta(record) as LogRecordPreview;
  meta.preview = Buffer.from(shown.buffer, shown.byteOffset, shown.byteLength).toString('base64');
  meta.truncated = bytes.byteLength > previewBytes;
  return meta;
}
