/**
 * The one narrow write the reporters need: "replace these members of this object's spec", only when
 * the object exists and belongs to this node (labels.host). Members are REPLACED (JSON patch `add`),
 * not merged, so keys that vanished from a domain's XML vanish from `spec.domain` too.
 */

import type { KindName } from '../agent/kinds.js';
import { isConflict, isNotFound } from '../agent/kube/api-error.js';
import type { KubeClient } from '../agent/kube/client.js';
import { objectPath } from '../agent/kube/paths.js';
import type { KubeObject } from '../executors/types.js';

export interface ObjectRef {
  kind: KindName;
  namespace: string;
  name: string;
}

/** Resolves false when there is no such object of ours (nothing written). */
export type SpecPatcher = (ref: ObjectRef, spec: Record<string, unknown>) => Promise<boolean>;

interface JsonPatchOp {
  op: 'add' | 'test';
  path: string;
  value: unknown;
}

const escapePointer = (k: string): string => k.replaceAll('~', '~0').replaceAll('/', '~1');

/**
 * Read-modify-write of one object of ours, guarded by the resourceVersion read, up to 3 attempts:
 * `changes` gives the JSON patch for the object as read, or undefined to write nothing.
 * Resolves false when nothing was written (no object, not this node's, no changes).
 */
async function patchOwned(
  client: KubeClient,
  nodeName: string,
  ref: ObjectRef,
  changes: (obj: KubeObject) => JsonPatchOp[] | undefined,
): Promise<boolean> {
  const url = objectPath(ref.kind, ref.namespace, ref.name);
  for (let attempt = 0; attempt < 3; attempt++) {
    let obj: KubeObject;
    try {
      obj = await client.request<KubeObject>('GET', url, { timeoutMs: 10_000 });
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
    if ((obj.metadata.labels?.host ?? '') !== nodeName) return false;
    const patch = changes(obj);
    if (!patch) return false;
    // Guard on the resourceVersion we read: a concurrent writer makes us re-read, not clobber.
    const ops: JsonPatchOp[] = [
      { op: 'test', path: '/metadata/resourceVersion', value: obj.metadata.resourceVersion },
      ...patch,
    ];
    try {
      await client.request('PATCH', url, { body: ops, patch: 'json', timeoutMs: 10_000 });
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      // A failed `test` answers 422 (Invalid); 409 for a racing update. Both: read again.
      const status = (err as { status?: number }).status;
      if (!(isConflict(err) || status === 422) || attempt === 2) throw err;
    }
  }
  return false;
}

export function kubeSpecPatcher(client: KubeClient, nodeName: string): SpecPatcher {
  return (ref, spec) =>
    patchOwned(client, nodeName, ref, (obj) => {
      const ops: JsonPatchOp[] = [];
      if (!obj.spec) ops.push({ op: 'add', path: '/spec', value: {} });
      for (const [k, v] of Object.entries(spec))
        ops.push({ op: 'add', path: `/spec/${escapePointer(k)}`, value: v });
      return ops;
    });
}

/**
 * Sets one field inside the spec (`path` below `spec`, e.g. ['volume', 'vm']) of an object of ours
 * whose parent object exists; `onlyIf` guards the current value (clear only what we set).
 * Resolves false when nothing was written (no object, not ours, no parent, guard not met, same value).
 */
export type FieldPatcher = (
  ref: ObjectRef,
  path: readonly string[],
  value: unknown,
  onlyIf?: (current: unknown) => boolean,
) => Promise<boolean>;

export function kubeFieldPatcher(client: KubeClient, nodeName: string): FieldPatcher {
  return (ref, path, value, onlyIf) =>
    patchOwned(client, nodeName, ref, (obj) => {
      let parent: unknown = obj.spec;
      for (const k of path.slice(0, -1)) parent = (parent as Record<string, unknown> | undefined)?.[k];
      if (!parent || typeof parent !== 'object' || Array.isArray(parent)) return undefined;
      const current = (parent as Record<string, unknown>)[path[path.length - 1] as string];
      if (current === value || (onlyIf && !onlyIf(current))) return undefined;
      return [{ op: 'add', path: `/spec/${path.map(escapePointer).join('/')}`, value }];
    });
}
