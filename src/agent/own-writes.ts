/**
 * The resourceVersions the agent's own writes produced, per object (the last few). The watch
 * delivers each of them back; syncing a key for its own echo would observe the host again for
 * nothing — and, for a value that changes all the time (a running disk's allocation), write again,
 * forever. Only the echo is skipped: any other change to the object is synced as usual.
 */
import type { KubeObject } from '../kinds.js';
import { keyOf } from './dispatch.js';

const KEPT = 4;

export class OwnWrites {
  private readonly byKey = new Map<string, string[]>();

  remember(obj: KubeObject): void {
    const rv = obj.metadata.resourceVersion;
    if (!rv) return;
    const key = keyOf(obj.kind, obj.metadata.namespace ?? 'default', obj.metadata.name);
    const list = [rv, ...(this.byKey.get(key) ?? [])].slice(0, KEPT);
    this.byKey.set(key, list);
  }

  forget(key: string): void {
    this.byKey.delete(key);
  }

  isEcho(key: string, obj: KubeObject): boolean {
    const rv = obj.metadata.resourceVersion;
    const list = this.byKey.get(key);
    if (!rv || !list?.includes(rv)) return false;
    if (list.length === 1) this.byKey.delete(key);
    else
      this.byKey.set(
        key,
        list.filter((x) => x !== rv),
      );
    return true;
  }
}
