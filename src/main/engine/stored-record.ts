import type { LogRecordMeta } from '@shared/contract/log';

/** A log record as the engine keeps it: the metadata and every byte. */
export interface StoredRecord extends LogRecordMeta {
  bytes: Uint8Array;
}
