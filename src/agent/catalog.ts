/**
 * The agent's view of the executor registry (a port, so the agent's tests can drive the runtime
 * with test-only operations): resolve the operation a lifecycle key names for a kind, and check
 * its raw parameters, reporting every problem at once. The product's implementation is
 * registry-catalog.ts; `simpleCatalog` serves tests and benchmarks (every operation implemented,
 * names matched case-insensitively, the TypeBox schema checked after applying aliases).
 */
import { Value } from '@sinclair/typebox/value';
import { ValidationError } from '../errors.js';
import type { OperationSpec } from '../executors/types.js';
import type { KindName } from '../kinds.js';

export type Resolution =
  | { readonly status: 'found'; readonly op: OperationSpec; readonly implemented: boolean }
  | { readonly status: 'wrong-kind'; readonly name: string; readonly kinds: readonly KindName[] }
  | { readonly status: 'unknown'; readonly suggestion?: string };

export type ParamCheck =
  | { readonly ok: true; readonly params: unknown; readonly ignored: readonly string[] }
  | { readonly ok: false; readonly errors: readonly ValidationError[] };

export interface OperationCatalog {
  resolve(kind: KindName, lifecycleKey: string): Resolution;
  /** Typed parameters (aliases applied, string forms coerced), or every problem found. */
  check(op: OperationSpec, raw: unknown): ParamCheck;
  /** The operation by its canonical name (journal recovery). */
  lookup(kind: KindName, name: string): OperationSpec | undefined;
  list(): readonly OperationSpec[];
}

function checkSchema(op: OperationSpec, raw: Record<string, unknown>): ParamCheck {
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) params[op.aliases?.[k] ?? k] = v;
  const withDefaults = Value.Default(op.params, params);
  const errors = [...Value.Errors(op.params, withDefaults)].map(
    (e) => new ValidationError(e.message, e.path.replace(/^\//, '').replace(/\//g, '.') || undefined),
  );
  return errors.length > 0 ? { ok: false, errors } : { ok: true, params: withDefaults, ignored: [] };
}

export function simpleCatalog(specs: readonly OperationSpec[]): OperationCatalog {
  const byKey = new Map(specs.map((s) => [`${s.kind}/${s.name.toLowerCase()}`, s]));
  return {
    resolve(kind, key) {
      const op = byKey.get(`${kind}/${key.toLowerCase()}`);
      return op ? { status: 'found', op, implemented: true } : { status: 'unknown' };
    },
    lookup: (kind, name) => byKey.get(`${kind}/${name.toLowerCase()}`),
    list: () => specs,
    check(op, raw) {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        return { ok: false, errors: [new ValidationError('parameters must be an object')] };
      }
      return checkSchema(op, raw as Record<string, unknown>);
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
