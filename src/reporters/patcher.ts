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

export function kubeSpecPatcher(client: KubeClient, nodeName: string): SpecPatcher {
  return async (ref, spec) => {
    const path = objectPath(ref.kind, ref.namespace, ref.name);
    for (let attempt = 0; attempt < 3; attempt++) {
      let obj: KubeObject;
      try {
        obj = await client.request<KubeObject>('GET', path, { timeoutMs: 10_000 });
      } catch (err) {
        if (isNotFound(err)) return false;
        throw err;
      }
      if ((obj.metadata.labels?.host ?? '') !== nodeName) return false;
      // Guard on the resourceVersion we read: a concurrent writer makes us re-read, not clobber.
      const ops: JsonPatchOp[] = [
        { op: 'test', path: '/metadata/resourceVersion', value: obj.metadata.resourceVersion },
      ];
      if (!obj.spec) ops.push({ op: 'add', path: '/spec', value: {} });
      for (const [k, v] of Object.entries(spec))
        ops.push({ op: 'add', path: `/spec/${escapePointer(k)}`, value: v });
      try {
        await client.request('PATCH', path, { body: ops, patch: 'json', timeoutMs: 10_000 });
        return true;
      } catch (err) {
        if (isNotFound(err)) return false;
        // A failed `test` answers 422 (Invalid); 409 for a racing update. Both: read again.
        const status = (err as { status?: number }).status;
        if (!(isConflict(err) || status === 422) || attempt === 2) throw err;
      }
    }
    return false;
  };
}
