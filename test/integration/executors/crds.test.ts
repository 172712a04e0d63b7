/**
 * The regenerated CRDs against the test bed's real kube-apiserver: they apply (structural schema
 * rules hold), `spec.lifecycle` documents the operations, and nothing a client sends is pruned or
 * rejected by the apiserver — alias spellings, undocumented extras, numbers and booleans as strings,
 * unknown operations and bad values all reach the agent, which is the validator.
 */
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testbedEnv } from '../testbed-env.js';

const env = testbedEnv();
const kubectl = (args: string[], input?: string) =>
  execa('kubectl', args, { env: { KUBECONFIG: env.kubeconfig }, ...(input === undefined ? {} : { input }) });
const prefix = `ks-exs-${process.pid}`;
const created: Array<[string, string]> = [];

async function apply(
  kind: string,
  name: string,
  spec: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const obj = {
    apiVersion: 'doslab.io/v1',
    kind,
    metadata: { name, namespace: 'default', labels: { host: 'ks-exs-nowhere' } },
    spec,
  };
  await kubectl(['create', '-f', '-', '-o', 'json'], JSON.stringify(obj));
  created.push([kind.toLowerCase(), name]);
  const { stdout } = await kubectl(['get', kind.toLowerCase(), name, '-n', 'default', '-o', 'json']);
  return JSON.parse(stdout) as Record<string, unknown>;
}

beforeAll(async () => {
  await kubectl(['apply', '--server-side', '--force-conflicts', '-f', 'deploy/crds/']);
  await kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd', '-l', 'doslab.io']);
});

afterAll(async () => {
  for (const [kind, name] of created) {
    await kubectl(['delete', kind, name, '-n', 'default', '--ignore-not-found', '--wait=false']);
  }
});

describe('CRDs with lifecycle schemas on the real apiserver', () => {
  it('are structural and accepted by the apiserver (no NonStructuralSchema condition)', async () => {
    const { stdout } = await kubectl(['get', 'crd', '-l', 'doslab.io', '-o', 'json']);
    const items = (
      JSON.parse(stdout) as {
        items: Array<{
          metadata: { name: string };
          status: { conditions: Array<{ type: string; status: string }> };
        }>;
      }
    ).items;
    expect(items.map((i) => i.metadata.name).sort()).toHaveLength(8);
    for (const crd of items) {
      const conds = Object.fromEntries(crd.status.conditions.map((c) => [c.type, c.status]));
      expect(conds['Established'], crd.metadata.name).toBe('True');
      expect(conds['NonStructuralSchema'], crd.metadata.name).toBeUndefined();
    }
  });

  it('documents each operation for kubectl explain', async () => {
    const { stdout } = await kubectl(['explain', 'virtualmachinedisks.spec.lifecycle.createDisk']);
    expect(stdout).toContain('capacity');
    expect(stdout).toContain('已创建出的存储池');
    const vm = await kubectl(['explain', 'virtualmachines.spec.lifecycle.plugDisk.target']);
    expect(vm.stdout).toMatch(/vdX, hdX or sdX/);
  });

  it('keeps everything a client sends in spec.lifecycle: aliases, extras, string forms, odd casing', async () => {
    const lifecycle = {
      cloneDisk: { type: 'localfs', pool: 'pool2', newvol: 'disk2', format: 'qcow2', reflink: true },
      CREATEDISK: { capacity: 10737418240, pool: 'pool2' },
      createDisk: { type: 'localfs', format: 'qcow2', pool: 'pool2', capacity: '10G', allocation: '1G' },
    };
    const obj = await apply('VirtualMachineDisk', `${prefix}-vmd`, { lifecycle, volume: { keep: 'me' } });
    expect((obj['spec'] as Record<string, unknown>)['lifecycle']).toEqual(lifecycle);
    expect((obj['spec'] as Record<string, unknown>)['volume']).toEqual({ keep: 'me' });
  });

  it('lets invalid values and unknown operations through to the agent (it answers in status)', async () => {
    const lifecycle = {
      autoStartPool: { disable: 'True', 'auto-start': 'false' },
      frobnicatePool: { x: [1, 2] },
    };
    const obj = await apply('VirtualMachinePool', `${prefix}-vmp`, { lifecycle });
    expect((obj['spec'] as Record<string, unknown>)['lifecycle']).toEqual(lifecycle);
    const vm = await apply('VirtualMachine', `${prefix}-vm`, {
      lifecycle: {
        plugDisk: { target: 'NOT-A-TARGET', source: '/etc/passwd', live: 'yes', read_iops_sec: 'lots' },
      },
    });
    expect(
      ((vm['spec'] as Record<string, unknown>)['lifecycle'] as Record<string, unknown>)['plugDisk'],
    ).toEqual({
      target: 'NOT-A-TARGET',
      source: '/etc/passwd',
      live: 'yes',
      read_iops_sec: 'lots',
    });
  });

  it('shows the printer columns users asked for, from the reported spec', async () => {
    const wide = async (kind: string, name: string) =>
      (await kubectl(['get', kind, name, '-n', 'default', '-o', 'wide'])).stdout.split('\n');
    await apply('VirtualMachine', `${prefix}-cols-vm`, {
      powerstate: 'Running',
      domain: {
        currentMemory: { _unit: 'KiB', text: '1048576' },
        devices: {
          _interface: [{ ip: [{ _address: '10.0.0.7', _family: 'ipv4', _prefix: '24' }] }],
          graphics: [{ _type: 'vnc', _port: '5901', _autoport: 'yes' }],
        },
      },
    });
    const [vmHead, vmRow] = await wide('virtualmachine', `${prefix}-cols-vm`);
    expect(vmHead).toMatch(/STATE\s+IP\s+VNC\s+CPU\s+RAM\(KIB\)/);
    expect(vmRow).toMatch(/Running\s+10\.0\.0\.7\s+5901\s/);
    await apply('VirtualMachineDisk', `${prefix}-cols-vmd`, {
      volume: { pool: 'pool1', capacity: '10.0 GB', vm: 'vm1', format: 'qcow2' },
    });
    const [diskHead, diskRow] = await wide('virtualmachinedisk', `${prefix}-cols-vmd`);
    expect(diskHead).toMatch(/POOL\s+SIZE\s+ATTACHED-TO\s+FORMAT/);
    expect(diskRow).toMatch(/pool1\s+10\.0 GB\s+vm1\s+qcow2/);
    await apply('VirtualMachinePool', `${prefix}-cols-vmp`, {
      pool: { state: 'active', type: 'dir', capacity: '49 GB', free: 1073741824, content: 'vmd' },
    });
    const [poolHead, poolRow] = await wide('virtualmachinepool', `${prefix}-cols-vmp`);
    expect(poolHead).toMatch(/STATE\s+TYPE\s+CAPACITY\s+FREE\(BYTES\)/);
    expect(poolRow).toMatch(/active\s+dir\s+49 GB\s+1073741824\s/);
  });
});
