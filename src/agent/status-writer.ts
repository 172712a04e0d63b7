/**
 * Every write the agent makes to its own objects, each a merge patch that touches only our fields:
 * the acknowledgement (guarded by resourceVersion), the uni-virt results in `spec`, our `status`
 * through /status, the finalizer, and the delete the delete operations ask for.
 * Patches are pruned against the object first: nothing changed → no request.
 */
import type { KubeObject } from '../executors/types.js';
import type { KindName } from './kinds.js';
import { isConflict, isNotFound } from './kube/api-error.js';
import type { KubeClient } from './kube/client.js';
import { objectPath, statusPath } from './kube/paths.js';
import type { AgentMetrics } from './metrics.js';
import { FINALIZER } from './reasons.js';
import { type JsonObject, prune } from './status.js';

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
  ) {}

  private async patch(path: string, body: JsonObject): Promise<KubeObject> {
    try {
      const out = await this.client.request<KubeObject>('PATCH', path, {
        body,
        patch: 'merge',
        timeoutMs: 30_000,
      });
      this.metrics?.apiRequests.inc({ verb: 'patch', code: '200' });
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

  /** Merges `patch` (of the form {spec: …}) into the object; skipped when nothing would change. */
  async writeSpec(obj: KubeObject, patch: JsonObject): Promise<KubeObject | undefined> {
    const body = prune(patch, obj);
    if (!body) return undefined;
    const r = refOf(obj);
    return this.patch(objectPath(r.kind, r.namespace, r.name), body);
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
