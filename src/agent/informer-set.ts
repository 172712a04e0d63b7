/**
 * The agent's caches: one informer per kind × namespace under the `host=<node>` selector, plus,
 * with the nodeName fallback, one on `!host` filtered by `spec.nodeName`. Keys are
 * `<kind>/<namespace>/<name>`.
 */
import { KINDS, type KindName, type KubeObject } from '../kinds.js';
import type { Logger } from '../log.js';
import type { AgentConfig } from './config.js';
import { keyOf, splitKey } from './dispatch.js';
import { Informer, type InformerEventType } from './informer.js';
import type { KubeClient } from './kube/client.js';
import { isOwnedBy, ownedSelector, unlabelledSelector } from './selection.js';

export interface InformerSetOptions {
  client: KubeClient;
  config: AgentConfig;
  log: Logger;
  onEvent: (key: string, kind: KindName, type: InformerEventType, obj: KubeObject) => void;
  onRestart: (kind: KindName, reason: string) => void;
  onConnected: (up: boolean) => void;
}

export class InformerSet {
  private readonly informers = new Map<string, Informer[]>();

  constructor(private readonly o: InformerSetOptions) {}

  start(): void {
    const { config } = this.o;
    for (const info of KINDS) {
      for (const ns of config.namespaces) {
        const common = {
          client: this.o.client,
          kind: info.kind,
          namespace: ns,
          watchTimeoutSeconds: config.watchTimeoutSeconds,
          watchdogMs: config.watchdogSeconds * 1000,
          log: this.o.log,
          onEvent: (t: InformerEventType, obj: KubeObject) =>
            this.o.onEvent(keyOf(info.kind, ns, obj.metadata.name), info.kind, t, obj),
          onRestart: (reason: string) => this.o.onRestart(info.kind, reason),
          onConnected: this.o.onConnected,
        };
        const list = [new Informer({ ...common, labelSelector: ownedSelector(config.nodeName) })];
        if (config.nodeNameFallback) {
          list.push(
            new Informer({
              ...common,
              labelSelector: unlabelledSelector,
              filter: (obj) => isOwnedBy(obj, config.nodeName),
            }),
          );
        }
        this.informers.set(`${info.kind}/${ns}`, list);
        for (const i of list) i.start();
      }
    }
  }

  private all(): Informer[] {
    return [...this.informers.values()].flat();
  }

  waitForSync(): Promise<unknown> {
    return Promise.all(this.all().map((i) => i.waitForSync()));
  }

  get(key: string): KubeObject | undefined {
    const { kind, namespace, name } = splitKey(key);
    for (const inf of this.informers.get(`${kind}/${namespace}`) ?? []) {
      const o = inf.get(name);
      if (o) return o;
    }
    return undefined;
  }

  /** The cached keys of objects of this kind and name, in every watched namespace. */
  keysNamed(kind: KindName, name: string): string[] {
    return this.o.config.namespaces
      .map((ns) => keyOf(kind, ns, name))
      .filter((k) => this.get(k) !== undefined);
  }

  /** Every cached key (of one kind, if given). */
  keys(kind?: KindName): string[] {
    const keys: string[] = [];
    for (const [id, infs] of this.informers) {
      if (kind && !id.startsWith(`${kind}/`)) continue;
      for (const inf of infs) for (const obj of inf.list()) keys.push(`${id}/${obj.metadata.name}`);
    }
    return keys;
  }

  synced(): { synced: number; total: number } {
    const all = this.all();
    return { synced: all.filter((i) => i.hasSynced).length, total: all.length };
  }

  async stop(): Promise<void> {
    await Promise.all(this.all().map((i) => i.stop()));
  }
}
