import type { HandlersFor } from '../handlers';
import type { Exports } from './exports';

export function exportHandlers(exports: Exports): HandlersFor<'log.export' | 'log.exportRead'> {
  return {
    'log.export': async ({ format, sessionId, charset }) =>
      exports.create(format, sessionId, charset),
    'log.exportRead': async ({ exportId, offset, length }) =>
      exports.read(exportId, offset, length),
  };
}
