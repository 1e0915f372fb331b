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
  // The log's bytes are Buffers already (slab slices); encoding a range makes no view.
  const buffer = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // One literal in its final shape (as recordMeta's fields, then the preview's).
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
    preview: buffer.toString('base64', 0, Math.min(bytes.byteLength, previewBytes)),
    truncated: bytes.byteLength > previewBytes,
  };
}
