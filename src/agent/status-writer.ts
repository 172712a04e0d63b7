/**
 * The one writer of the agent's objects: every write goes through here — the acknowledgement
 * (guarded by resourceVersion), the `spec` members operations and observation report (each
 * replaced whole, guarded by the object's uid), our `status` through /status, the finalizer, and
 * the delete the delete operations ask for. Only the per-key sync calls it, so one object never
 * has two writers at once. Every write is diffed against the object first: unchanged → no request.
 */
import type { KindName, KubeObject } from '../kinds.js';
import { isConflict, isNotFound } from './kube/api-error.js';
import type { KubeClient } from './kube/client.js';
import { objectPath, statusPath } from './kube/paths.js';
import type { AgentMetrics } from './metrics.js';
import { FINALIZER } from './reasons.js';
import { HOST_LABEL } from './selection.js';
import { changedMembers, type JsonObject, prune } from './status.js';

interface JsonPatchOp {
  op: 'add' | 'remove' | 'test';
  path: string;
  value?: unknown;
}

const escaped = (k: string): string => k.replaceAll('~', '~0').replaceAll('/', '~1');
const pointer = (k: string): string => `/spec/${escaped(k)}`;

/** JSON patch operations for the labels that differ (null: present and to be removed). */
function labelOps(obj: KubeObject, labels: Record<string, string | null>): JsonPatchOp[] {
  const have = obj.metadata.labels;
  const ops: JsonPatchOp[] = [];
  for (const [k, v] of Object.entries(labels)) {
    if (k === HOST_LABEL) continue; // ownership moves only by the client
    const path = `/metadata/labels/${escaped(k)}`;
    if (v === null) {
      if (have && k in have) ops.push({ op: 'remove', path });
    } else if (have?.[k] !== v) ops.push({ op: 'add', path, value: v });
  }
  if (!have && ops.length) ops.unshift({ op: 'add', path: '/metadata/labels', value: {} });
  return ops;
}

export interface ObjectRef {
  kind: KindName;
  namespace: string;
  name: string;
}

export function refOf(obj: KubeObject): ObjectRef {
  return {
    kind: obj.kind as KindName,
    namespace: obj.metadata.namespace ?? 'default',
    name: obj.metadata.name,
  };
}

export class StatusWriter {
  constructor(
    private readonly client: KubeClient,
    private readonly metrics?: AgentMetrics,
    /** Told the resourceVersion of every version we wrote, so its watch echo need not be synced. */
    private readonly onWritten?: (obj: KubeObject) => void,
  ) {}

  private async patch(
    path: string,
    body: JsonObject | JsonPatchOp[],
    patch: 'merge' | 'json' = 'merge',
  ): Promise<KubeObject> {
    try {
      const out = await this.client.request<KubeObject>('PATCH', path, {
        body,
        patch,
        timeoutMs: 30_000,
      });
      this.metrics?.apiRequests.inc({ verb: 'patch', code: '200' });
      this.onWritten?.(out);
      return out;
    } catch (err) {
      this.metrics?.apiRequests.inc({
        verb: 'patch',
        code: String((err as { status?: number }).status ?? 0),
      });
      throw err;
    }
  }

  /**
   * Acknowledges an operation: removes spec.lifecycle, guarded by the resourceVersion it was read
   * at (a 409 means someone changed the object since; the caller re-reads). Optionally merges
   * further spec fields (a rejection's failure status) and adds our finalizer in the same write.
   */
  ack(obj: KubeObject, opts: { addFinalizer: boolean; spec?: JsonObject }): Promise<KubeObject> {
    const metadata: JsonObject = { resourceVersion: obj.metadata.resourceVersion };
    if (opts.addFinalizer) metadata.finalizers = withFinalizer(obj);
    const r = refOf(obj);
    return this.patch(objectPath(r.kind, r.namespace, r.name), {
      metadata,
      spec: { ...(opts.spec ?? {}), lifecycle: null },
    });
  }

  /**
   * Replaces these `spec` members (null removes one), only those that differ, and sets or removes
   * the given labels in the same write; guarded by the uid, so a re-created object of the same
   * name never gets the old one's report. Resolves with the object as written, or undefined when
   * nothing changed.
   */
  async writeMembers(
    obj: KubeObject,
    members: JsonObject,
    labels: Record<string, string | null> = {},
  ): Promise<KubeObject | undefined> {
    const changed = changedMembers(obj, members);
    const labelChanges = labelOps(obj, labels);
    if (Object.keys(changed).length === 0 && labelChanges.length === 0) return undefined;
    const ops: JsonPatchOp[] = [];
    if (obj.metadata.uid) ops.push({ op: 'test', path: '/metadata/uid', value: obj.metadata.uid });
    if (!obj.spec) ops.push({ op: 'add', path: '/spec', value: {} });
    for (const [k, v] of Object.entries(changed)) {
      ops.push(v === null ? { op: 'remove', path: pointer(k) } : { op: 'add', path: pointer(k), value: v });
    }
    ops.push(...labelChanges);
    const r = refOf(obj);
    return this.patch(objectPath(r.kind, r.namespace, r.name), ops, 'json');
  }

  /** Merges `patch` (of the form {status: …}) through /status; skipped when nothing would change. */
  async writeStatus(obj: KubeObject, patch: JsonObject): Promise<KubeObject | undefined> {
    const body = prune(patch, obj);
    if (!body) return undefined;
    const r = refOf(obj);
    return this.patch(statusPath(r.kind, r.namespace, r.name), body);
  }

  /** Adds (or removes) our finalizer, guarded by resourceVersion. */
  setFinalizer(obj: KubeObject, present: boolean): Promise<KubeObject> {
    const r = refOf(obj);
    const finalizers = present
      ? withFinalizer(obj)
      : (obj.metadata.finalizers ?? []).filter((f) => f !== FINALIZER);
    return this.patch(objectPath(r.kind, r.namespace, r.name), {
      metadata: { resourceVersion: obj.metadata.resourceVersion, finalizers },
    });
  }

  async get(r: ObjectRef): Promise<KubeObject | undefined> {
    try {
      return await this.client.request<KubeObject>('GET', objectPath(r.kind, r.namespace, r.name), {
        timeoutMs: 30_000,
      });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /**
   * Deletes the object after a delete operation succeeded: our finalizer first (the host thing is
   * already gone, there is nothing left to clean up), then the object, guarded by its uid.
   */
  async deleteObject(r: ObjectRef, uid: string | undefined): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const cur = await this.get(r);
      if (!cur || (uid && cur.metadata.uid !== uid)) return;
      try {
        if (hasFinalizer(cur)) await this.setFinalizer(cur, false);
        await this.client.request('DELETE', objectPath(r.kind, r.namespace, r.name), {
          body: { kind: 'DeleteOptions', apiVersion: 'v1', ...(uid ? { preconditions: { uid } } : {}) },
          timeoutMs: 30_000,
        });
        this.metrics?.apiRequests.inc({ verb: 'delete', code: '200' });
        return;
      } catch (err) {
        if (isNotFound(err)) return;
        if (!isConflict(err)) throw err;
      }
    }
  }
}

export function hasFinalizer(obj: KubeObject): boolean {
  return (obj.metadata.finalizers ?? []).includes(FINALIZER);
}

function withFinalizer(obj: KubeObject): string[] {
  const f = obj.metadata.finalizers ?? [];
  return f.includes(FINALIZER) ? f : [...f, FINALIZER];
}
