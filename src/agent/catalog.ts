/**
 * The agent's view of the executor registry: find the operation a lifecycle key names for a kind,
 * and validate its raw parameters. The executor framework provides the real one
 * (`createRegistry` + `validateParams`); `simpleCatalog` is a small stand-in for tests and
 * `exec`, matching names case-insensitively and checking the TypeBox schema after applying aliases.
 */
import { Value } from '@sinclair/typebox/value';
import { ValidationError } from '../errors.js';
import type { OperationSpec } from '../executors/types.js';
import type { KindName } from './kinds.js';

export interface OperationCatalog {
  lookup(kind: KindName, lifecycleKey: string): OperationSpec | undefined;
  /** Typed parameters, or throws ValidationError naming the offending field. */
  validate(op: OperationSpec, raw: unknown): unknown;
  list(): readonly OperationSpec[];
}

export function simpleCatalog(specs: readonly OperationSpec[]): OperationCatalog {
  const byKey = new Map(specs.map((s) => [`${s.kind}/${s.name.toLowerCase()}`, s]));
  return {
    lookup: (kind, key) => byKey.get(`${kind}/${key.toLowerCase()}`),
    list: () => specs,
    validate(op, raw) {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        throw new ValidationError('parameters must be an object');
      }
      const params: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(raw)) params[op.aliases?.[k] ?? k] = v;
      const withDefaults = Value.Default(op.params, params);
      const first = Value.Errors(op.params, withDefaults).First();
      if (first) {
        const field = first.path.replace(/^\//, '').replace(/\//g, '.') || undefined;
        throw new ValidationError(first.message, field);
      }
      return withDefaults;
    },
  };
}

/**
 * An operation may declare `resumable: true`: safe to run again after the agent died mid-way
 * (journal recovery re-runs it instead of reporting it failed).
 */
export function isResumable(op: OperationSpec | undefined): boolean {
  return (op as { resumable?: unknown } | undefined)?.resumable === true;
}
