/**
 * VM networking through the real kube-apiserver: the agent runs with its ServiceAccount, the full
 * registry and real libvirt + OVN Northbound + Open_vSwitch clients; objects are written in the
 * Java SDK's shape (spec.lifecycle.<op>, label host), results read back from the objects and
 * cross-checked with ovn-nbctl. Storage is not used by these operations and is left out.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../../src/agent/agent.js';
import { DEFAULTS } from '../../../src/agent/config.js';
import type { KubeClient } from '../../../src/agent/kube/client.js';
import { registryCatalog } from '../../../src/agent/registry-catalog.js';
import {
  adminClient,
  agentKubeconfig,
  cleanupNode,
  create,
  mergePatch,
  newObject,
  removeAgentAccess,
  uniqueNode,
  waitGone,
  waitingOf,
  waitOperation,
} from '../agent/harness.js';
import { log, nbctl } from '../ovn/fixture.js';
import { type Bed, dropSwitch, env, makeSwitch, openBed, removeVm, uniq, vmRows } from './fixture.js';

const PREFIX = 'nw14-api';
const node = uniqueNode('nw14');
const id = uniq();
const sw = `nw14-asw-${id}`;
const out = `nw14-aout-${id}`;
const vm = `nw14-avm-${id}`;
const mac = `52:54:${id.slice(0, 2)}:${id.slice(2, 4)}:${id.slice(4, 6)}:11`;
let admin: KubeClient;
let agent: Agent;
let bed: Bed;
let journal: string;

const finished = (op: string) => waitOperation(admin, 'VirtualMachine', vm, op, 60_000);
const request = (op: string, params: Record<string, unknown>) =>
  mergePatch(admin, 'VirtualMachine', vm, { spec: { lifecycle: { [op]: params } } });

beforeAll(async () => {
  admin = adminClient();
  bed = await openBed();
  await makeSwitch(bed, sw, '10.146.0.0/24', '10.146.0.1');
  await makeSwitch(bed, out, '172.31.146.0/24', '172.31.146.1');
  journal = await mkdtemp('/var/lib/libvirt/nw14-journal-');
  agent = await Agent.start({
    config: {
      ...DEFAULTS,
      kubeconfig: await agentKubeconfig(PREFIX),
      nodeName: node,
      metricsAddr: '',
      journalDir: join(journal, 'j'),
    },
    catalog: registryCatalog(),
    services: bed.services,
    log,
  });
});

afterAll(async () => {
  await agent?.stop();
  await removeVm(vm);
  for (const r of await vmRows(vm))
    await nbctl('--if-exists', 'destroy', ...r.split(' ')).catch(() => undefined);
  for (const s of [sw, out]) await dropSwitch(s);
  await rm(journal, { recursive: true, force: true });
  await cleanupNode(admin, node);
  await removeAgentAccess(PREFIX);
  admin.close();
  await bed?.close();
});

describe('VirtualMachine networking through the apiserver', () => {
  it('createAndStartVMFromISO with an l3bridge NIC: spec.domain reports it, the port exists', async () => {
    const disk = join(bed.root, `${vm}.qcow2`);
    await execa('qemu-img', ['create', '-q', '-f', 'qcow2', disk, '64M']);
    const params = {
      metadata: `uuid=${randomUUID()}`,
      graphics: 'vnc,listen=127.0.0.1',
      disk: `${disk} --disk ${bed.iso},device=cdrom,perms=ro`,
      memory: '128',
      network: `type=l3bridge,source=br-int,ip=10.146.0.10,switch=${sw},mac=${mac}`,
      virt_type: env.virtType,
      os_variant: 'centos7.0',
      vcpus: '1',
      noautoconsole: true,
    };
    await create(
      admin,
      newObject('VirtualMachine', vm, node, {
        nodeName: node,
        lifecycle: { createAndStartVMFromISO: params },
      }),
    );
    const o = await finished('createAndStartVMFromISO');
    const nics = (o.spec?.domain as { devices: { _interface: unknown } } | undefined)?.devices._interface;
    expect(JSON.stringify(nics)).toContain(mac);
    expect(
      await nbctl(
        '--bare',
        '--columns=addresses',
        'find',
        'Logical_Switch_Port',
        `external_ids:kubestack/mac="${mac}"`,
      ),
    ).toBe(`${mac} 10.146.0.10`);
  });

  it('addACL, setQoS and bindFloatingIP as the SDK sends them', async () => {
    await request('addACL', {
      swName: sw,
      vmmac: mac,
      type: 'to',
      rule: "'icmp4'",
      operator: 'drop',
      priority: '10',
    });
    expect(waitingOf(await finished('addACL'))?.reason).not.toMatch(/Invalid|Error/);
    expect(await nbctl('acl-list', `kst_${vm.replaceAll('-', '_')}`)).toMatch(/to-lport\s+10 .*icmp4.* drop/);
    await request('setQoS', { swName: sw, type: 'from', rule: 'ip', rate: '1000', burst: '100' });
    await finished('setQoS');
    expect(await nbctl('qos-list', sw)).toContain('rate=1000');
    await request('bindFloatingIP', { swName: sw, outSwName: out, fip: '172.31.146.50/24', vmmac: mac });
    await finished('bindFloatingIP');
    expect(await nbctl('lr-nat-list', `${sw}-router`)).toMatch(
      /dnat_and_snat\s+172\.31\.146\.50\s+10\.146\.0\.10/,
    );
  });

  it('a bad parameter is refused with a message naming it; nothing changes', async () => {
    await request('setQoS', { swName: sw, type: 'sideways', rule: 'ip', rate: '1000', burst: '100' });
    const o = await finished('setQoS');
    expect(waitingOf(o)?.message).toMatch(/type/);
    expect((await nbctl('qos-list', sw)).split('\n')).toHaveLength(1);
  });

  it('deleteVM removes the object and every NB row of the VM', async () => {
    await request('deleteVM', {});
    await waitGone(admin, 'VirtualMachine', vm, 60_000);
    expect(await vmRows(vm)).toEqual([]);
    expect(await nbctl('lr-nat-list', `${sw}-router`)).toBe('');
  });
});
