/**
 * One tiny guest VM for a test file, through the real apiserver: boots it under TCG (a guest kernel
 * does not boot under KVM here), starts the agent with its ServiceAccount and creates the VM's
 * object as the Java SDK does; `op` puts one lifecycle request on it and waits for its own result
 * (by event id: the same operation may run several times). Host objects are named `vc13-…`.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, expect } from 'vitest';
import { Agent } from '../../../src/agent/agent.js';
import { DEFAULTS } from '../../../src/agent/config.js';
import type { KubeClient } from '../../../src/agent/kube/client.js';
import { registryCatalog } from '../../../src/agent/registry-catalog.js';
import type { DomainRef } from '../../../src/libvirt/index.js';
import { sdkModelOf, sdkViolations } from '../../../src/sdk-model.js';
import { buildTestIso } from '../../fixtures/e2e/iso.js';
import { tinyGuest } from '../../fixtures/e2e/tiny-guest.js';
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
  waitOperation,
} from '../agent/harness.js';
import { tinyGuestXml, waitConsole, waitGuestAgent } from './guest-helpers.js';
import { type E2E, e2eServices, env, quietLog, removeDomain, virsh } from './helpers.js';

export const vc13 = (what: string): string => `vc13-${what}-${randomBytes(3).toString('hex')}`;

type Obj = Awaited<ReturnType<typeof waitOperation>>;

export interface GuestVm {
  readonly vm: string;
  readonly admin: KubeClient;
  readonly t: E2E;
  readonly dom: DomainRef;
  readonly dir: string;
  readonly serial: string;
  readonly root: string;
  readonly iso1: string;
  readonly iso2: string;
  /** Puts the request on the object without waiting (for operations that delete it). */
  request(name: string, params: Record<string, unknown>): Promise<string>;
  op(name: string, params: Record<string, unknown>): Promise<Obj>;
  ok(name: string, params: Record<string, unknown>): Promise<Obj>;
  liveXml(): Promise<string>;
  configXml(): Promise<string>;
}

export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`not seen within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Registers the file's beforeAll/afterAll; the returned object is filled once beforeAll ran. */
export function useGuestVm(prefix: string): GuestVm {
  const vm = vc13('guest');
  const node = uniqueNode('vc13');
  const g = { vm } as { -readonly [K in keyof GuestVm]: GuestVm[K] };
  let agent: Agent | undefined;
  g.request = async (name, params) => {
    const eventId = `${name}.event.${randomBytes(3).toString('hex')}`;
    await mergePatch(g.admin, 'VirtualMachine', vm, {
      metadata: { labels: { 'kubestack.label.event.id': eventId } },
      spec: { lifecycle: { [name]: params } },
    });
    return eventId;
  };
  g.op = async (name, params) => {
    const eventId = await g.request(name, params);
    return waitFor(
      `${name} (${eventId}) finished`,
      async () => {
        const o = await get(g.admin, 'VirtualMachine', vm);
        const last = lastOperationOf(o);
        return last?.eventId === eventId && last.phase !== 'Running' ? o : undefined;
      },
      90_000,
      25,
    );
  };
  g.ok = async (name, params) => {
    const o = await g.op(name, params);
    expect(waitingOf(o)?.reason, `${name}: ${waitingOf(o)?.message}`).toBe('Running');
    // Everything written under spec must fit what the Java SDK's model classes can read.
    expect(sdkViolations(sdkModelOf('VirtualMachine'), o.spec ?? {}), name).toEqual([]);
    return o;
  };
  g.liveXml = async () => virsh('dumpxml', vm, '--security-info');
  g.configXml = async () => virsh('dumpxml', vm, '--inactive', '--security-info');

  beforeAll(async () => {
    g.admin = adminClient();
    const kubeconfig = await agentKubeconfig(prefix);
    g.t = await e2eServices({ unplugTimeoutMs: 30_000, vmStopTimeoutMs: 60_000 });
    g.dir = join('/var/lib/libvirt', vc13('dir'));
    await mkdir(g.dir, { recursive: true });
    g.serial = join(g.dir, 'console.log');
    g.root = join(g.dir, 'root.qcow2');
    await execa('qemu-img', ['create', '-q', '-f', 'qcow2', g.root, '64M']);
    g.iso1 = await buildTestIso(g.dir, 'media-one');
    g.iso2 = await buildTestIso(g.dir, 'media-two');
    const xml = tinyGuestXml(vm, await tinyGuest(), {
      root: g.root,
      iso: g.iso1,
      serial: g.serial,
      bridge: env.testBridge,
    });
    g.dom = await g.t.libvirt.domainDefineXMLFlags(xml, 0);
    await g.t.libvirt.domainCreate(g.dom);
    await waitConsole(g.serial, 'KSGUEST READY', 1, 120_000);
    await waitGuestAgent(g.t.libvirt, g.dom, 60_000);
    agent = await Agent.start({
      config: {
        ...DEFAULTS,
        kubeconfig,
        nodeName: node,
        metricsAddr: '',
        journalDir: join(g.dir, 'journal'),
      },
      catalog: registryCatalog(),
      services: g.t.services,
      log: quietLog,
    });
    // The VM's object, as the SDK creates one for an existing domain, with a first request.
    await create(g.admin, {
      apiVersion: 'doslab.io/v1',
      kind: 'VirtualMachine',
      metadata: {
        name: vm,
        namespace: 'default',
        labels: { host: node, 'kubestack.label.event.id': 'ev-1' },
      },
      spec: { nodeName: node, lifecycle: { autoStartVM: {} } },
    });
    await waitOperation(g.admin, 'VirtualMachine', vm, 'autoStartVM', 60_000);
  }, 300_000);

  afterAll(async () => {
    await removeDomain(vm);
    await agent?.stop();
    await cleanupNode(g.admin, node);
    await removeAgentAccess(prefix);
    g.admin.close();
    await g.t.close();
    await rm(g.dir, { recursive: true, force: true });
  });
  return g;
}
