/**
 * Cutting a node over from the uni-virt daemons: a running domain and its VirtualMachine object
 * left exactly as Virtlet/LibvirtWatcher leave them (spec.domain, spec.powerstate, spec.nodeName,
 * spec.status.conditions.state.waiting, label host; no finalizer, no top-level status, no
 * lifecycle) are adopted by a starting agent (its own ServiceAccount, the full registry, real
 * libvirtd) without any change to the running VM: same domain id, same QEMU process, still running.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../../src/agent/agent.js';
import { DEFAULTS } from '../../../src/agent/config.js';
import type { KubeClient } from '../../../src/agent/kube/client.js';
import { registryCatalog } from '../../../src/agent/registry-catalog.js';
import type { KubeObject } from '../../../src/kinds.js';
import {
  adminClient,
  agentKubeconfig,
  cleanupNode,
  create,
  get,
  removeAgentAccess,
  uniqueNode,
  waitFor,
} from '../agent/harness.js';
import { domstate, type E2E, e2eServices, quietLog, removeDomain, virsh } from '../e2e/helpers.js';

const PREFIX = 'dp18-adopt';
const node = uniqueNode('dp18');
const vm = `dp18-old-${randomBytes(3).toString('hex')}`;
let admin: KubeClient;
let agent: Agent | undefined;
let t: E2E;

/** An OS-less domain (firmware only), as any domain a daemon defined and started. */
function domainXml(virtType: string): string {
  return `<domain type='${virtType}'><name>${vm}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>
<os><type arch='x86_64'>hvm</type><boot dev='hd'/></os><features><acpi/></features>
<devices><serial type='pty'/><graphics type='vnc' autoport='yes' listen='127.0.0.1'/></devices></domain>`;
}

const qemuPid = async () =>
  (await execa('pgrep', ['-f', `guest=${vm},`], { reject: false })).stdout.trim().split('\n')[0] ?? '';

beforeAll(async () => {
  admin = adminClient();
  t = await e2eServices();
  const xml = join(t.root, `${vm}.xml`);
  const { writeFile } = await import('node:fs/promises');
  await writeFile(xml, domainXml(t.services.virtType ?? 'qemu'));
  await virsh('define', xml);
  await virsh('start', vm);
  // The object as Virtlet's create path POSTs it (anchor: uni-virt agent, os_event_handler).
  const old: KubeObject = {
    apiVersion: 'doslab.io/v1',
    kind: 'VirtualMachine',
    metadata: { name: vm, namespace: 'default', labels: { host: node } },
    spec: {
      nodeName: node,
      powerstate: 'Running',
      domain: {
        _type: t.services.virtType ?? 'qemu',
        name: { text: vm },
        memory: { _unit: 'KiB', text: '65536' },
      },
      status: { conditions: { state: { waiting: { message: 'The VM is Running', reason: 'Running' } } } },
    },
  };
  await create(admin, old);
}, 120_000);

afterAll(async () => {
  await agent?.stop();
  await removeDomain(vm);
  await cleanupNode(admin, node);
  await removeAgentAccess(PREFIX);
  admin?.close();
  await t?.close();
});

describe('adoption of what the old daemons left', () => {
  it('a starting agent adopts the object and leaves the running VM alone', { timeout: 120_000 }, async () => {
    const idBefore = (await virsh('domid', vm)).trim();
    const pidBefore = await qemuPid();
    expect(pidBefore).not.toBe('');
    expect(await domstate(vm)).toBe('running');

    const kubeconfig = await agentKubeconfig(PREFIX);
    agent = await Agent.start({
      config: {
        ...DEFAULTS,
        kubeconfig,
        nodeName: node,
        metricsAddr: '',
        journalDir: join(t.root, 'journal'),
      },
      catalog: registryCatalog(),
      services: t.services,
      log: quietLog,
    });
    await waitFor('agent ready', async () => agent?.ready().ready === true, 60_000);
    await waitFor('finalizer added', async () => {
      const o = await get(admin, 'VirtualMachine', vm);
      return (o?.metadata.finalizers ?? []).includes('doslab.io/kubestack-agent');
    });
    await agent.idle();

    const after = await get(admin, 'VirtualMachine', vm);
    expect(after?.metadata.labels?.host).toBe(node);
    expect(after?.spec?.lifecycle).toBeUndefined();
    expect(after?.spec?.powerstate).toBe('Running');
    expect(after?.spec?.status).toEqual({
      conditions: { state: { waiting: { message: 'The VM is Running', reason: 'Running' } } },
    });
    expect((after?.spec?.domain as { name?: { text?: string } } | undefined)?.name?.text).toBe(vm);

    expect(await domstate(vm)).toBe('running');
    expect((await virsh('domid', vm)).trim()).toBe(idBefore);
    expect(await qemuPid()).toBe(pidBefore);
  });
});
