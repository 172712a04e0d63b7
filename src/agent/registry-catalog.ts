/** The executor framework's registry and validation, seen through the agent's OperationCatalog port. */
import { createRegistry } from '../executors/registry.js';
import type { OperationSpec } from '../executors/types.js';
import { checkParams } from '../executors/validate.js';
import type { OperationCatalog } from './catalog.js';

export function registryCatalog(implemented?: OperationSpec[]): OperationCatalog {
  const registry = implemented ? createRegistry(implemented) : createRegistry();
  return {
    resolve(kind, key) {
      const r = registry.resolve(kind, key);
      if (r.status === 'found')
        return { status: 'found', op: r.entry.spec, implemented: r.entry.implemented };
      if (r.status === 'wrong-kind') return r;
      const suggestion = registry.closest(kind, key);
      return suggestion ? { status: 'unknown', suggestion } : { status: 'unknown' };
    },
    lookup(kind, name) {
      const r = registry.resolve(kind, name);
      return r.status === 'found' ? r.entry.spec : undefined;
    },
    check: (op, raw) => checkParams(op, raw),
    list: () => registry.list().map((e) => e.spec),
  };
}
