import type { ExportFormat } from '@shared/contract';
import type { Engine } from '../../src/main/engine';
import { call } from './engine-calls';

/** Exports through the commands the UI uses: create, then read in chunks. */
export async function exportFile(engine: Engine, format: ExportFormat, sessionId?: string) {
  const created = await call(engine, 'log.export', {
    format,
    ...(sessionId === undefined ? {} : { sessionId }),
  });
  const parts: Buffer[] = [];
  for (let offset = 0; ;) {
    const chunk = await call(engine, 'log.exportRead', {
      exportId: created.exportId,
      offset,
      length: 4096,
    });
    const piece = Buffer.from(chunk.data, 'base64');
    parts.push(piece);
    offset += piece.length;
    if (chunk.done) break;
  }
  return { created, data: Buffer.concat(parts) };
}
