/**
 * The operation registry: (kind, lifecycle key) → OperationSpec.
 *
 * Keys match the 110 documented names case-insensitively, exactly as uni-virt did (`startVM`,
 * `startvm`, `STARTVM`; `start_vm` does not match). Every documented operation is present: the
 * implemented ones as given, the rest as stubs that validate their documented parameters and then
 * fail with UnsupportedError "<op> is not supported on this node yet" (admission refuses them before
 * that). Unlike uni-virt, the kind is checked: `resolve` tells a key documented only for another kind
 * (`wrong-kind`, with the kinds that have it) from an unknown one, and admission refuses both.
 */
import { UnsupportedError } from '../errors.js';
import type { KindName } from '../kinds.js';
import { allDocumented } from './catalog.js';
import type { OperationDescriptor } from './descriptor.js';
import { implementedOperations } from './implemented.js';
import type { OperationSpec } from './types.js';

export interface RegistryEntry {
  readonly kind: KindName;
  readonly name: string;
  readonly implemented: boolean;
  readonly spec: OperationSpec;
  readonly descriptor: OperationDescriptor;
}

export type Resolution =
  | { readonly status: 'found'; readonly entry: RegistryEntry }
  | { readonly status: 'wrong-kind'; readonly kinds: KindName[]; readonly name: string }
  | { readonly status: 'unknown' };

export interface Registry {
  /** The operation for a lifecycle key on this kind, or undefined when no kind documents the key. */
  lookup(kind: KindName, lifecycleKey: string): OperationSpec | undefined;
  /** Like lookup, with the reason when there is no operation of this kind. */
  resolve(kind: KindName, lifecycleKey: string): Resolution;
  /** The documented name closest to a misspelt key (this kind's first), if one is close enough. */
  closest(kind: KindName, lifecycleKey: string): string | undefined;
  /** Every documented operation, in the document's order, kind by kind. */
  list(): RegistryEntry[];
}

/** Levenshtein distance, case-insensitive (names are short: the plain O(n·m) table is fine). */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
    }
    prev = cur;
  }
  return prev[y.length] as number;
}

function closestName(kind: KindName, key: string, docs: readonly OperationDescriptor[]): string | undefined {
  const limit = Math.max(2, Math.floor(key.length / 3));
  let best: { name: string; d: number } | undefined;
  for (const d of docs) {
    // Another kind's operation must be strictly closer to win over one of this kind.
    const score = distance(key, d.name) + (d.kind === kind ? 0 : 0.5);
    if (score <= limit && (!best || score < best.d)) best = { name: d.name, d: score };
  }
  return best?.name;
}

const key = (kind: string, name: string) => `${kind}\u0000${name.toLowerCase()}`;

function stub(d: OperationDescriptor): OperationSpec {
  return {
    kind: d.kind,
    name: d.name,
    summary: d.summary,
    params: d.params,
    aliases: d.aliases,
    async handler() {
      throw new UnsupportedError(`${d.name} is not supported on this node yet`, {
        details: { kind: d.kind, operation: d.name },
      });
    },
  };
}

/**
 * Builds the registry from the implemented operations (default: every kind's index.ts). An
 * implementation must match a documented operation (kind and name, any case) and keep its
 * documented parameter names; anything else is a programming error and throws here, at start-up.
 */
export function createRegistry(implemented: OperationSpec[] = implementedOperations()): Registry {
  const docs = allDocumented();
  const byKey = new Map<string, RegistryEntry>();
  const kindsByName = new Map<string, KindName[]>();
  for (const d of docs) {
    byKey.set(key(d.kind, d.name), {
      kind: d.kind,
      name: d.name,
      implemented: false,
      spec: stub(d),
      descriptor: d,
    });
    const lower = d.name.toLowerCase();
    kindsByName.set(lower, [...(kindsByName.get(lower) ?? []), d.kind]);
  }
  for (const op of implemented) {
    const k = key(op.kind, op.name);
    const entry = byKey.get(k);
    if (!entry) throw new Error(`operation ${op.kind}/${op.name} is not documented in operations.json`);
    if (entry.implemented) throw new Error(`operation ${op.kind}/${op.name} is implemented twice`);
    const documentedParams = Object.keys(entry.descriptor.params.properties).sort().join(',');
    const given = Object.keys(op.params.properties).sort().join(',');
    if (documentedParams !== given) {
      throw new Error(
        `operation ${op.kind}/${op.name} has params [${given}], documented [${documentedParams}]`,
      );
    }
    byKey.set(k, { ...entry, name: entry.name, implemented: true, spec: op });
  }
  const entries = docs.map((d) => byKey.get(key(d.kind, d.name)) as RegistryEntry);

  const resolve = (kind: KindName, lifecycleKey: string): Resolution => {
    const entry = byKey.get(key(kind, lifecycleKey));
    if (entry) return { status: 'found', entry };
    const kinds = kindsByName.get(lifecycleKey.toLowerCase());
    if (!kinds) return { status: 'unknown' };
    const name = docs.find((d) => d.name.toLowerCase() === lifecycleKey.toLowerCase())?.name ?? lifecycleKey;
    return { status: 'wrong-kind', kinds, name };
  };

  return {
    resolve,
    lookup(kind, lifecycleKey) {
      const r = resolve(kind, lifecycleKey);
      return r.status === 'found' ? r.entry.spec : undefined;
    },
    closest: (kind, lifecycleKey) => closestName(kind, lifecycleKey, docs),
    list: () => [...entries],
  };
}
