import type { HandlersFor } from '../handlers';
import type { Exports } from './exports';

export function exportHandlers(exports: Exports): HandlersFor<'log.export' | 'log.exportRead'> {
  return {
    'log.export': async ({ format, sessionId, charset, ids }) =>
      exports.create(format, sessionId, charset, ids),
    'log.exportRead': async ({ exportId, offset, length }) =>
      exports.read(exportId, offset, length),
  };
}
