/**
 * Cloud-init seeds and ResizeVM through the apiserver (agent with its ServiceAccount, payloads as the
 * Java SDK sends them). The seed is checked with isoinfo (label, user-data bytes) and used as the VM's
 * cdrom; resizeVM grows the VM's disk through libvirt while it runs and with qemu-img when stopped,
 * checked with qemu-img and virsh. The VM boots firmware only.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leftovers, MiB, tree } from '../storage/helpers.js';
import { removeDomain, virsh, vmParams } from './helpers.js';
import { reasonOf, type StorageAgent, st12, startStorageAgent, volumeMisfits } from './storage-agent.js';

const GiB = 1024 * MiB;
let t: StorageAgent;
const pool = st12('pool');
const disk = st12('disk');
const seed = st12('seed');
const vm = st12('vm');
const userData = '#cloud-config\nhostname: st12-guest\nusers:\n  - name: ks\n';

const file = (name: string) => join(t.root, pool, name, name);

async function virtualSize(path: string): Promise<number> {
  const out = await execa('qemu-img', ['info', '-U', '--output=json', path]);
  return (JSON.parse(out.stdout) as { 'virtual-size': number })['virtual-size'];
}

beforeAll(async () => {
  t = await startStorageAgent('st12-vm');
  const p = await t.createWith('VirtualMachinePool', pool, 'createPool', {
    type: 'dir',
    content: 'vmd',
    url: join(t.root, pool),
  });
  expect(reasonOf(p)).toBe('Ready');
  const d = await t.createWith('VirtualMachineDisk', disk, 'createDisk', {
    type: 'localfs',
    pool,
    capacity: String(GiB),
    format: 'qcow2',
  });
  expect(reasonOf(d)).toBe('Ready');
}, 120_000);

afterAll(async () => {
  await removeDomain(vm);
  await t?.close();
});

describe('cloud-init seeds', () => {
  it('createCloudInitUserDataImage: a cidata ISO holding the user data as sent', async () => {
    const o = await t.createWith('VirtualMachineDisk', seed, 'createCloudInitUserDataImage', {
      pool,
      userData,
    });
    expect(reasonOf(o)).toBe('Ready');
    const pvd = (await execa('isoinfo', ['-d', '-i', file(seed)])).stdout;
    expect(pvd).toMatch(/Volume id: cidata/);
    const ud = await execa('isoinfo', ['-R', '-i', file(seed), '-x', '/user-data']);
    expect(ud.stdout).toBe(userData.trimEnd());
    expect(o?.spec?.volume).toMatchObject({ current: file(seed), format: 'raw', pool });
    expect(volumeMisfits(o)).toEqual([]);
  });

  it('user data that is not YAML is refused naming userData; nothing is made', async () => {
    const bad = st12('seed');
    const o = await t.createWith('VirtualMachineDisk', bad, 'createCloudInitUserDataImage', {
      pool,
      userData: 'a: [unclosed',
    });
    expect(reasonOf(o)).toBe('InvalidParameter');
    expect(JSON.stringify(o?.spec?.status)).toContain('userData');
    expect(existsSync(join(t.root, pool, bad))).toBe(false);
  });

  it('deleteCloudInitUserDataImage refuses a data disk (that is deleteDisk), which stays', async () => {
    const o = await t.request('VirtualMachineDisk', disk, 'deleteCloudInitUserDataImage', { pool });
    expect(reasonOf(o)).toBe('InvalidParameter');
    expect(existsSync(file(disk))).toBe(true);
  });
});

describe('resizeVM', () => {
  it('while the VM runs: libvirt block resize; the seed cannot be deleted under it', async () => {
    const o = await t.createWith(
      'VirtualMachine',
      vm,
      'createAndStartVMFromISO',
      vmParams(file(disk), file(seed)),
    );
    expect(reasonOf(o)).toBe('Running');
    const r = await t.request('VirtualMachine', vm, 'resizeVM', {
      path: file(disk),
      size: String(2 * 1024 * 1024),
    });
    expect(reasonOf(r)).toBe('Running');
    expect(await virtualSize(file(disk))).toBe(2 * GiB);
    expect(await virsh('domblkinfo', vm, file(disk))).toMatch(new RegExp(`Capacity:\\s+${2 * GiB}`));
    const inUse = await t.request('VirtualMachineDisk', seed, 'deleteCloudInitUserDataImage', { pool });
    expect(reasonOf(inUse)).toBe('InUse');
    expect(JSON.stringify(inUse?.spec?.status)).toContain(vm);
  });

  it('a smaller size and a file that is not a disk of the VM are refused; nothing changes', async () => {
    const small = await t.request('VirtualMachine', vm, 'resizeVM', { path: file(disk), size: '1048576' });
    expect(JSON.stringify(small?.spec?.status)).toMatch(/InvalidParameter.*size|size.*InvalidParameter/s);
    const other = await t.request('VirtualMachine', vm, 'resizeVM', {
      path: join(t.root, pool, 'st12-nothere', 'st12-nothere'),
      size: String(4 * 1024 * 1024),
    });
    expect(JSON.stringify(other?.spec?.status)).toContain('NotFound');
    expect(await virtualSize(file(disk))).toBe(2 * GiB);
  });

  it('while the VM is stopped: qemu-img resize through the storage engine', async () => {
    expect(reasonOf(await t.request('VirtualMachine', vm, 'stopVMForce', {}))).toBe('Shutdown');
    const r = await t.request('VirtualMachine', vm, 'resizeVM', { path: file(disk), size: '3G' });
    expect(reasonOf(r)).toBe('Shutdown');
    expect(await virtualSize(file(disk))).toBe(3 * GiB);
  });

  it('after deleteVM the seed and the disk delete; no orphan file', async () => {
    expect(await t.request('VirtualMachine', vm, 'deleteVM', {})).toBe(undefined);
    expect(await t.request('VirtualMachineDisk', seed, 'deleteCloudInitUserDataImage', { pool })).toBe(
      undefined,
    );
    expect(await t.request('VirtualMachineDisk', disk, 'deleteDisk', { type: 'localfs', pool })).toBe(
      undefined,
    );
    const entries = await tree(join(t.root, pool));
    expect(leftovers(entries)).toEqual([]);
    expect(entries.filter((e) => !e.startsWith('.ks-') && e !== 'content')).toEqual([]);
  });
});
