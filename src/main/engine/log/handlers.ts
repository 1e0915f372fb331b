import { ErrorCode, SockscopeError } from '@shared/errors';
import type { HandlersFor } from '../handlers';
import { nowUs } from '../clock';
import { announceSettings } from '../settings/handlers';
import type { SettingsStore } from '../settings/settings-store';
import type { EventBus } from './event-bus';
import { searchLog } from './log-search';
import type { LogStore } from './log-store';
import { recordMeta, recordPreview } from './stored-record';

type LogCommand =
  'log.stats' | 'log.read' | 'log.search' | 'log.latest' | 'log.clear' | 'log.setBudget';

/** The log's own commands (exports have theirs beside the exporters). */
export function logHandlers(
  log: LogStore,
  bus: EventBus,
  settings: SettingsStore,
): HandlersFor<LogCommand> {
  return {
    'log.stats': async () => log.stats(),
    'log.read': async ({ id }) => {
      const record = log.get(id);
      if (record === undefined) {
        const oldest = log.stats().oldestId;
        const evicted = oldest !== null && id < oldest;
        throw new SockscopeError(
          ErrorCode.invalidArgs,
          evicted
            ? `Record ${id} was evicted to keep the log within its byte budget`
            : `No record with id ${id}`,
          { id, reason: evicted ? 'evicted' : 'no-record' },
        );
      }
      const { bytes } = record;
      return {
        record: recordMeta(record),
        bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
      };
    },
    'log.search': (args) => searchLog(log, args),
    'log.latest': async ({ limit, beforeId }) => ({
      records: log.latest(limit, beforeId).map(recordPreview),
      stats: log.stats(),
    }),
    'log.clear': async () => {
      bus.flush();
      log.clear();
      bus.emit({ type: 'log.cleared' });
      return log.stats();
    },
    'log.setBudget': async ({ budgetBytes }) => {
      log.setBudget(budgetBytes);
      // The budget survives a restart: the next engine starts with it. A failed save
      // does not undo the budget; the page is told.
      await settings.set({ log: { budgetBytes } }).then(
        (values) => announceSettings(bus, values),
        (error: unknown) =>
          bus.emit({
            type: 'notice',
            level: 'warning',
            message: error instanceof Error ? error.message : String(error),
            atUs: nowUs(),
          }),
      );
      const stats = log.stats();
      bus.emitLatest('log.stats', { type: 'log.stats', stats });
      return stats;
    },
  };
}
