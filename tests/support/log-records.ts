import type { LogRecordPreview } from '@shared/contract';

/** A batch's record as tests need one: a one-byte TCP packet in, unless told otherwise. */
export function previewRecord(fields: Partial<LogRecordPreview> = {}): LogRecordPreview {
  return {
    id: 1,
    atUs: 1,
    sessionId: 's',
    transport: 'tcp',
    direction: 'in',
    local: null,
    remote: null,
    size: 1,
    event: null,
    message: null,
    params: null,
    charset: null,
    preview: 'AA==',
    truncated: false,
    ...fields,
  };
}
