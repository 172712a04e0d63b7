/** The executor framework's registry and validation, seen through the agent's OperationCatalog port. */
import { createRegistry } from '../executors/registry.js';
import type { OperationSpec } from '../executors/types.js';
import { validateParams } from '../executors/validate.js';
import type { OperationCatalog } from './catalog.js';

export function registryCatalog(implemented?: OperationSpec[]): OperationCatalog {
  const registry = implemented ? createRegistry(implemented) : createRegistry();
  return {
    lookup: (kind, key) => registry.lookup(kind, key),
    validate: (op, raw) => validateParams(op, raw),
    list: () => registry.list().map((e) => e.spec),
  };
}
