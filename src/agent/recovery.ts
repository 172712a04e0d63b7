/**
 * Start-up resolution of what a previous run left in the journal, before any new work is taken:
 *  - accepted, and the object still carries the same lifecycle at the same resourceVersion → the
 *    acknowledgement never landed; forget the entry and let the normal path handle the request;
 *  - accepted but acknowledged → nothing ran: reported failed ("restarted before … started");
 *  - started → the handler may have partly run: reported failed ("restarted during …"), unless the
 *    operation declares `resumable: true` (safe to run again), in which case it runs again once;
 *  - finished → the result is known; it is (re-)written.
 * Never runs anything twice blindly.
 */
import { KubestackError } from '../errors.js';
import type { KubeObject } from '../kinds.js';
import type { Logger } from '../log.js';
import { isResumable, type OperationCatalog } from './catalog.js';
import { type Dispatcher, type Result, splitKey } from './dispatch.js';
import type { Journal, JournalEntry } from './journal.js';
import { readLifecycle } from './lifecycle.js';
import { restartedBeforeMessage, restartedDuringMessage } from './reasons.js';
import type { StatusWriter } from './status-writer.js';

export interface RecoveryDeps {
  journal: Journal;
  dispatcher: Dispatcher;
  catalog: OperationCatalog;
  writer: StatusWriter;
  log: Logger;
  /** The cached object, if still owned; recovery falls back to a GET. */
  getObject: (key: string) => KubeObject | undefined;
}

/** Returns the keys that have adopted work (the caller enqueues them). */
export async function recoverJournal(d: RecoveryDeps): Promise<string[]> {
  const keys: string[] = [];
  for (const entry of d.journal.unfinished()) {
    const obj = d.getObject(entry.key) ?? (await d.writer.get(splitKey(entry.key)));
    const done = () => d.journal.record({ ...entry, phase: 'done', at: new Date().toISOString() });
    if (!obj || obj.metadata.uid !== entry.uid) {
      d.log.warn({ key: entry.key, operation: entry.operation }, 'journal: object gone; dropping entry');
      await done();
      continue;
    }
    const { kind } = splitKey(entry.key);
    const op = d.catalog.lookup(kind, entry.operation);
    if (entry.phase === 'accepted') {
      const req = readLifecycle(obj);
      if (obj.metadata.resourceVersion === entry.resourceVersion && req.kind === 'request') {
        // the acknowledgement never landed: the request is still there, handle it afresh
        await d.journal.record({ ...entry, phase: 'dropped', at: new Date().toISOString() });
        continue;
      }
      d.dispatcher.adopt(entry.key, reportFailure(entry, obj, restartedBeforeMessage(entry.operation)));
    } else if (entry.phase === 'started') {
      if (op && isResumable(op)) {
        d.log.info({ key: entry.key, operation: entry.operation }, 'journal: resuming a resumable operation');
        d.dispatcher.adopt(entry.key, {
          stage: 'run',
          entry,
          op,
          params: entry.params ?? {},
          obj,
          attempt: 1,
        });
      } else {
        d.dispatcher.adopt(entry.key, reportFailure(entry, obj, restartedDuringMessage(entry.operation)));
      }
    } else if (entry.phase === 'finished' && entry.result) {
      const result: Result = entry.result.ok
        ? { ok: true, outcome: entry.result.outcome }
        : {
            ok: false,
            error: new KubestackError(entry.result.reason as KubestackError['reason'], entry.result.message),
          };
      d.dispatcher.adopt(entry.key, { stage: 'report', entry, obj, result });
    } else {
      await done();
      continue;
    }
    d.log.warn({ key: entry.key, operation: entry.operation, phase: entry.phase }, 'journal: resolving');
    keys.push(entry.key);
  }
  return keys;
}

function reportFailure(entry: JournalEntry, obj: KubeObject, message: string) {
  const error = new KubestackError('Internal', message, { retriable: false });
  return { stage: 'report' as const, entry, obj, result: { ok: false as const, error } };
}
