/**
 * VirtualMachineNetwork operations through the real kube-apiserver: the agent runs with its
 * ServiceAccount (deploy/rbac.yaml), the full registry and real OVN Northbound + Open_vSwitch clients;
 * clients write objects in the Java SDK's shape, results are read back from the objects and
 * cross-checked with ovn-nbctl.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../../src/agent/agent.js';
import { DEFAULTS } from '../../../src/agent/config.js';
import type { KubeClient } from '../../../src/agent/kube/client.js';
import { registryCatalog } from '../../../src/agent/registry-catalog.js';
import type { Services } from '../../../src/executors/services.js';
import type { KubeObject } from '../../../src/kinds.js';
import { sdkModelOf, sdkViolations } from '../../../src/sdk-model.js';
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
import { connectNet, log, type Net, nbctl, nbFind, uniq } from '../ovn/fixture.js';
import { testbedEnv } from '../testbed-env.js';

const PREFIX = 'kst-net-api';
const node = uniqueNode('kstnet');
const id = uniq();
const sw = `kst-apisw-${id}`;
const addr = `kst-apiaddr-${id}`;
let admin: KubeClient;
let agent: Agent;
let net: Net;
let journal: string;

function sdk(name: string, op: string, params: Record<string, unknown>): KubeObject {
  return newObject(
    'VirtualMachineNetwork',
    name,
    node,
    { nodeName: node, lifecycle: { [op]: params } },
    {
      'kubestack.label.event.id': `${op}.event.${id}`,
    },
  );
}

const finished = (name: string, op: string) =>
  waitOperation(admin, 'VirtualMachineNetwork', name, op, 30_000);
const gone = (name: string) => waitGone(admin, 'VirtualMachineNetwork', name, 30_000);

beforeAll(async () => {
  admin = adminClient();
  net = await connectNet();
  journal = await mkdtemp('/var/lib/libvirt/kst-net-journal-');
  const env = testbedEnv();
  // Network operations use only the OVN/OVS clients; the other host clients stay out of this agent.
  const services = { virtType: env.virtType, ovnNb: net.nb, ovs: net.ovs } as unknown as Services;
  agent = await Agent.start({
    config: {
      ...DEFAULTS,
      kubeconfig: await agentKubeconfig(PREFIX),
      nodeName: node,
      metricsAddr: '',
      journalDir: join(journal, 'j'),
    },
    catalog: registryCatalog(),
    services,
    log,
  });
});

afterAll(async () => {
  await agent?.stop();
  await rm(journal, { recursive: true, force: true });
  await nbctl('--if-exists', 'ls-del', sw);
  await nbctl('--if-exists', 'lr-del', `${sw}-router`);
  for (const d of await nbFind('DHCP_Options', '_uuid', `external_ids:kubestack/switch=${sw}`)) {
    await nbctl('dhcp-options-del', d);
  }
  await nbctl('--if-exists', 'destroy', 'Address_Set', addr.replaceAll('-', '_')).catch(() => undefined);
  await cleanupNode(admin, node);
  await removeAgentAccess(PREFIX);
  admin.close();
  await net?.close();
});

describe('VirtualMachineNetwork through the apiserver', () => {
  it('createSwitch → spec.data and spec.type, Ready; the switch exists in the NB DB', async () => {
    await create(
      admin,
      sdk(sw, 'createSwitch', {
        subnet: '192.168.77.0/24',
        gateway: '192.168.77.1',
        dhcp: '192.168.77.1',
        mtu: '1450',
        dnsServer: '8.8.8.8',
      }),
    );
    const o = await finished(sw, 'createSwitch');
    expect(waitingOf(o)?.reason).toBe('Ready');
    expect(o.spec?.type).toBe('l3network');
    const data = o.spec?.data as { switchInfo: { name: string }; routerInfo: { name: string } };
    expect(data.switchInfo.name).toBe(sw);
    expect(sdkViolations(sdkModelOf('VirtualMachineNetwork'), o.spec ?? {})).toEqual([]);
    expect(await nbctl('get', 'Logical_Switch', sw, 'other_config:subnet')).toBe('"192.168.77.0/24"');
  });

  it('modifySwitch with a bad gateway fails clearly and changes nothing', async () => {
    await mergePatch(admin, 'VirtualMachineNetwork', sw, {
      spec: { lifecycle: { modifySwitch: { gateway: '192.168.77.300' } } },
    });
    const o = await finished(sw, 'modifySwitch');
    expect(waitingOf(o)?.reason).toBe('InvalidParameter');
    expect(waitingOf(o)?.message).toMatch(/gateway/);
    expect(await nbctl('get', 'Logical_Switch', sw, 'other_config:subnet')).toBe('"192.168.77.0/24"');
  });

  it('createAddress, then deleteAddress removes the set and the object', async () => {
    await create(admin, sdk(addr, 'createAddress', { address: '10.77.0.1,10.77.0.2' }));
    const o = await finished(addr, 'createAddress');
    expect(waitingOf(o)?.reason).toBe('Ready');
    expect(o.spec?.type).toBe('l3address');
    expect(sdkViolations(sdkModelOf('VirtualMachineNetwork'), o.spec ?? {})).toEqual([]);
    expect(await nbctl('get', 'Address_Set', addr.replaceAll('-', '_'), 'addresses')).toBe(
      '["10.77.0.1", "10.77.0.2"]',
    );
    await mergePatch(admin, 'VirtualMachineNetwork', addr, { spec: { lifecycle: { deleteAddress: {} } } });
    await gone(addr);
    expect(await nbFind('Address_Set', 'name', `name=${addr.replaceAll('-', '_')}`)).toEqual([]);
  });

  it('kubectl delete of the switch object, then createSwitch of the same name again: it is adopted', async () => {
    await admin.request('DELETE', `/apis/doslab.io/v1/namespaces/default/virtualmachinenetworks/${sw}`);
    await gone(sw);
    // host data stays when only the object goes
    expect(await nbctl('get', 'Logical_Switch', sw, 'other_config:subnet')).toBe('"192.168.77.0/24"');
    await create(admin, sdk(sw, 'createSwitch', { subnet: '192.168.77.0/24', gateway: '192.168.77.1' }));
    const o = await finished(sw, 'createSwitch');
    expect(waitingOf(o)?.reason).toBe('Ready');
    expect((o.spec?.['data'] as { switchInfo?: { name: string } } | undefined)?.switchInfo?.name).toBe(sw);
  });

  it('deleteSwitch removes what createSwitch made, then the object', async () => {
    await mergePatch(admin, 'VirtualMachineNetwork', sw, { spec: { lifecycle: { deleteSwitch: {} } } });
    await gone(sw);
    expect(await nbFind('Logical_Switch', 'name', `name=${sw}`)).toEqual([]);
    expect(await nbFind('DHCP_Options', '_uuid', `external_ids:kubestack/switch=${sw}`)).toEqual([]);
  });
});
