/**
 * Set-up of the storage end-to-end tests through the apiserver: an agent with its ServiceAccount
 * (deploy/rbac.yaml), the full operation registry and real Services (libvirt client on the test
 * bed's libvirtd, a storage engine wired to libvirt as the agent wires it) on a unique node name;
 * a scratch root `/var/lib/libvirt/st12-…`; objects created and lifecycle requests put exactly as
 * the Java SDK does; everything removed at the end.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Agent } from '../../../src/agent/agent.js';
import { DEFAULTS } from '../../../src/agent/config.js';
import type { KubeClient } from '../../../src/agent/kube/client.js';
import { registryCatalog } from '../../../src/agent/registry-catalog.js';
import type { Services } from '../../../src/executors/services.js';
import { libvirtOnlineSnapshots } from '../../../src/executors/storage-online.js';
import { libvirtDomainUse } from '../../../src/executors/virtual-machine/domain-use.js';
import type { KindName, KubeObject } from '../../../src/kinds.js';
import { LibvirtClient } from '../../../src/libvirt/index.js';
import { sdkModelOf, sdkViolations } from '../../../src/sdk-model.js';
import { StorageEngine } from '../../../src/storage/index.js';
import {
  adminClient,
  agentKubeconfig,
  cleanupNode,
  create,
  get,
  lastOperationOf,
  mergePatch,
  removeAgentAccess,
  uniqueNode,
  waitFor,
  waitingOf,
} from '../agent/harness.js';
import { env, quietLog } from './helpers.js';

export function st12(what: string): string {
  return `st12-${what}-${randomBytes(3).toString('hex')}`;
}

export interface StorageAgent {
  admin: KubeClient;
  node: string;
  root: string;
  storage: StorageEngine;
  libvirt: LibvirtClient;
  /** Creates a new object carrying one lifecycle request and waits for the operation to finish. */
  createWith(
    kind: KindName,
    name: string,
    op: string,
    params: Record<string, unknown>,
  ): Promise<KubeObject | undefined>;
  /** Puts a lifecycle request on an existing object and waits for it to finish (undefined: deleted). */
  request(
    kind: KindName,
    name: string,
    op: string,
    params: Record<string, unknown>,
  ): Promise<KubeObject | undefined>;
  /** Stops the agent, removes the objects, the ServiceAccount and the scratch root. */
  close(): Promise<void>;
}

const eventId = (op: string) => `${op}.event.${randomBytes(4).toString('hex')}`;

/**
 * Waits until the request with this event id finished (the same operation may run many times on
 * one object); undefined when the operation deleted the object.
 */
async function finished(
  admin: KubeClient,
  kind: KindName,
  name: string,
  id: string,
): Promise<KubeObject | undefined> {
  const r = await waitFor(
    `${kind} ${name} ${id} finished`,
    async () => {
      const o = await get(admin, kind, name);
      if (!o) return { o: undefined };
      const last = lastOperationOf(o);
      return !o.spec?.lifecycle && last?.eventId === id && last.phase !== 'Running' ? { o } : undefined;
    },
    120_000,
    25,
  );
  return r.o;
}

export async function startStorageAgent(prefix: string): Promise<StorageAgent> {
  const admin = adminClient();
  const node = uniqueNode(prefix);
  const root = `/var/lib/libvirt/${st12('root')}`;
  await mkdir(root, { recursive: true });
  const kubeconfig = await agentKubeconfig(prefix);
  const libvirt = await LibvirtClient.connect({ socketPath: env.libvirtSocket, log: quietLog });
  const storage = new StorageEngine({
    stateDir: join(root, 'state'),
    domainUse: libvirtDomainUse(libvirt),
    online: libvirtOnlineSnapshots(libvirt),
    log: quietLog,
  });
  const services = { virtType: env.virtType, libvirt, storage, vmStopTimeoutMs: 2000 } as unknown as Services;
  const agent = await Agent.start({
    config: { ...DEFAULTS, kubeconfig, nodeName: node, metricsAddr: '', journalDir: join(root, 'journal') },
    catalog: registryCatalog(),
    services,
    log: quietLog,
  });
  return {
    admin,
    node,
    root,
    storage,
    libvirt,
    async createWith(kind, name, op, params) {
      const id = eventId(op);
      await create(admin, {
        apiVersion: 'doslab.io/v1',
        kind,
        metadata: {
          name,
          namespace: 'default',
          labels: { host: node, 'kubestack.label.event.id': id },
        },
        spec: { nodeName: node, lifecycle: { [op]: params } },
      });
      return finished(admin, kind, name, id);
    },
    async request(kind, name, op, params) {
      const id = eventId(op);
      await mergePatch(admin, kind, name, {
        metadata: { labels: { 'kubestack.label.event.id': id } },
        spec: { lifecycle: { [op]: params } },
      });
      return finished(admin, kind, name, id);
    },
    async close() {
      // The agent closes its Services (the libvirt client) when it stops.
      await agent.stop();
      await cleanupNode(admin, node);
      await removeAgentAccess(prefix);
      admin.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** The reason of the object's last result (`Ready` on success, the error reason otherwise). */
export function reasonOf(o: KubeObject | undefined): string | undefined {
  return waitingOf(o)?.reason;
}

export function volumeOf(o: KubeObject | undefined): Record<string, unknown> {
  return (o?.spec?.volume ?? {}) as Record<string, unknown>;
}

/** What the object reports under spec.volume, as paths the Java SDK could not read (none expected). */
export function volumeMisfits(o: KubeObject | undefined): string[] {
  if (!o) return ['no object'];
  return sdkViolations(sdkModelOf(o.kind as KindName), { volume: volumeOf(o) });
}
