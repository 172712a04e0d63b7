/**
 * The first end-to-end slice, operation by operation, against the real test bed (libvirtd with
 * KVM/TCG as the bed says, qemu-img, the glusterfs volume, the test bridge): handlers run exactly as
 * the agent runs them (raw lifecycle parameters validated first), on objects in the Java SDK shape;
 * every effect is cross-checked with virsh / the file system.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationSpec } from '../../../src/executors/types.js';
import { removeDeviceFiles } from '../../../src/executors/virtual-machine/device-files.js';
import { operations as vmOps } from '../../../src/executors/virtual-machine/index.js';
import { operations as diskOps } from '../../../src/executors/virtual-machine-disk/index.js';
import { operations as poolOps } from '../../../src/executors/virtual-machine-pool/index.js';
import { buildTestIso } from '../../fixtures/e2e/iso.js';
import {
  domstate,
  type E2E,
  e2eServices,
  env,
  GiB,
  libvirtPool,
  removeDomain,
  runOp,
  unique,
  virsh,
  vmParams,
} from './helpers.js';

const op = (name: string): OperationSpec => {
  const o = [...vmOps, ...diskOps, ...poolOps].find((x) => x.name === name);
  if (!o) throw new Error(`no operation ${name}`);
  return o;
};

let t: E2E;
const pool = unique('pool');
const disk = unique('disk');
const disk2 = unique('disk2');
const vm = unique('vm');
let poolDir: string;
let iso: string;

beforeAll(async () => {
  t = await e2eServices({ vmStopTimeoutMs: 2000, unplugTimeoutMs: 2000 });
  poolDir = join(t.root, pool);
  iso = await buildTestIso(join(t.root, 'iso'), 'installer');
});

afterAll(async () => {
  await removeDomain(vm);
  await removeDeviceFiles(vm);
  await t.storage.deleteDisk({ pool, name: disk2 }).catch(() => undefined);
  await t.storage.deleteDisk({ pool, name: disk }).catch(() => undefined);
  await t.storage.deletePool(pool, { force: true }).catch(() => undefined);
  await t.close();
});

describe('VirtualMachinePool (dir)', () => {
  it('createPool makes the directory, the content marker and reports spec.pool', async () => {
    const out = await runOp(op('createPool'), t.services, pool, {
      type: 'dir',
      content: 'vmd',
      url: poolDir,
      autostart: true,
    });
    expect(await readFile(join(poolDir, 'content'), 'utf8')).toBe('vmd');
    expect(out.report).toMatchObject({
      pool,
      type: 'dir',
      url: poolDir,
      content: 'vmd',
      state: 'active',
      autostart: true,
    });
    expect(typeof out.report?.capacity).toBe('string');
    // and libvirt has it too: a dir pool on the same directory, running, autostarted
    expect(await libvirtPool(pool)).toEqual({ state: 'running', autostart: 'yes', target: poolDir });
  });

  it('stopPool, startPool, autoStartPool and showPool report the state', async () => {
    expect((await runOp(op('stopPool'), t.services, pool, {})).report).toMatchObject({ state: 'inactive' });
    expect((await libvirtPool(pool))?.state).toBe('inactive');
    expect((await runOp(op('startPool'), t.services, pool, { type: 'localfs' })).report).toMatchObject({
      state: 'active',
    });
    expect((await libvirtPool(pool))?.state).toBe('running');
    const off = await runOp(op('autoStartPool'), t.services, pool, { type: 'localfs', disable: true });
    expect(off.report).toMatchObject({ autostart: false });
    expect((await libvirtPool(pool))?.autostart).toBe('no');
    // uni-virt's spelling: auto-start (the inverse of disable), as a string
    const on = await runOp(op('autoStartPool'), t.services, pool, { 'auto-start': 'true' });
    expect(on.report).toMatchObject({ autostart: true });
    expect((await runOp(op('showPool'), t.services, pool, {})).report).toMatchObject({
      state: 'active',
      content: 'vmd',
    });
  });

  it('refuses a path outside the allowed roots, a taken name, and nfs on this kernel, host unchanged', async () => {
    const other = unique('pool');
    await expect(
      runOp(op('createPool'), t.services, other, { type: 'dir', content: 'vmd', url: '/etc/kse2e' }),
    ).rejects.toMatchObject({ reason: 'InvalidParameter' });
    expect(existsSync('/etc/kse2e')).toBe(false);
    await expect(
      runOp(op('createPool'), t.services, pool, { type: 'dir', content: 'vmd', url: join(t.root, 'again') }),
    ).rejects.toMatchObject({ reason: 'AlreadyExists' });
    const nfs = runOp(op('createPool'), t.services, other, {
      type: 'nfs',
      content: 'vmd',
      url: '127.0.0.1:/export',
    });
    await expect(nfs).rejects.toMatchObject({ reason: 'Unsupported' });
    await expect(nfs).rejects.toThrow(/nfs/);
    await expect(
      runOp(op('createPool'), t.services, other, { type: 'uus', content: 'vmd', url: 'uus-iscsi://a/b' }),
    ).rejects.toMatchObject({ reason: 'Unsupported', message: expect.stringMatching(/uus/) });
    expect(await t.storage.listPools()).toHaveLength(1);
  });
});

describe('VirtualMachineDisk', () => {
  it('createDisk lays out <pool>/<disk>/<disk> + config.json and reports spec.volume', async () => {
    const out = await runOp(op('createDisk'), t.services, disk, {
      type: 'localfs',
      pool,
      capacity: '10,737,418,240',
      format: 'qcow2',
    });
    const file = join(poolDir, disk, disk);
    expect(existsSync(file)).toBe(true);
    const cfg = JSON.parse(await readFile(join(poolDir, disk, 'config.json'), 'utf8'));
    expect(cfg).toMatchObject({ name: disk, dir: join(poolDir, disk), current: file, pool });
    expect(out.report).toMatchObject({
      pool,
      current: file,
      format: 'qcow2',
      virtual_size: 10 * GiB,
      type: 'localfs',
    });
    const info = JSON.parse(await virshlessInfo(file));
    expect(info['virtual-size']).toBe(10 * GiB);
  });

  it('resizeDisk grows; a smaller size and an out-of-range capacity are refused, host unchanged', async () => {
    const out = await runOp(op('resizeDisk'), t.services, disk, {
      type: 'localfs',
      pool,
      capacity: 12 * GiB,
    });
    expect(out.report).toMatchObject({ virtual_size: 12 * GiB });
    await expect(
      runOp(op('resizeDisk'), t.services, disk, { type: 'localfs', pool, capacity: 11 * GiB }),
    ).rejects.toThrow(/larger/);
    await expect(
      runOp(op('resizeDisk'), t.services, disk, { type: 'localfs', pool, capacity: '1000' }),
    ).rejects.toMatchObject({ reason: 'InvalidParameter' });
    expect(JSON.parse(await virshlessInfo(join(poolDir, disk, disk)))['virtual-size']).toBe(12 * GiB);
  });

  it('createDisk in a pool that does not exist fails clearly and creates nothing', async () => {
    const name = unique('disk');
    await expect(
      runOp(op('createDisk'), t.services, name, {
        type: 'localfs',
        pool: 'kse2e-nopool',
        capacity: 2 * GiB,
        format: 'qcow2',
      }),
    ).rejects.toMatchObject({
      reason: 'NotFound',
      message: expect.stringMatching(/pool 'kse2e-nopool' not found/),
    });
    await expect(
      runOp(op('createDisk'), t.services, name, {
        type: 'localfs',
        pool,
        capacity: 999_999_999_999_999,
        format: 'qcow2',
      }),
    ).rejects.toMatchObject({ reason: 'InvalidParameter' });
    expect(existsSync(join(poolDir, name))).toBe(false);
  });
});

describe('VirtualMachine', () => {
  it('createAndStartVMFromISO defines and boots a disk-backed VM on the test bridge', async () => {
    const out = await runOp(
      op('createAndStartVMFromISO'),
      t.services,
      vm,
      vmParams(join(poolDir, disk, disk), iso),
    );
    expect(await domstate(vm)).toBe('running');
    expect(out.spec).toMatchObject({ powerstate: 'Running' });
    const domain = out.report as {
      name: { text: string };
      devices: { disk: unknown[]; _interface: unknown[] };
    };
    expect(domain.name.text).toBe(vm);
    expect(domain.devices.disk).toHaveLength(2);
    const xml = await virsh('dumpxml', vm);
    expect(xml).toContain(`<source file='${join(poolDir, disk, disk)}'`);
    expect(xml).toContain(`<source bridge='${env.testBridge}'`);
    expect(xml).toMatch(/<driver name='qemu' type='qcow2'/);
  });

  it('a taken VM name is refused and the running VM is untouched', async () => {
    await expect(
      runOp(op('createAndStartVMFromISO'), t.services, vm, vmParams(join(poolDir, disk, disk), iso)),
    ).rejects.toMatchObject({ reason: 'AlreadyExists' });
    expect(await domstate(vm)).toBe('running');
  });

  it('a disk another VM uses is refused before anything is defined', async () => {
    const name = unique('vm');
    const p = runOp(
      op('createAndStartVMFromISO'),
      t.services,
      name,
      vmParams(join(poolDir, disk, disk), iso),
    );
    await expect(p).rejects.toMatchObject({ reason: 'InUse' });
    await expect(p).rejects.toThrow(new RegExp(`used by running domain '${vm}'`));
    expect(await domstate(name)).toBe('absent');
  });

  it('a disk outside the allowed roots is refused before anything is defined', async () => {
    const name = unique('vm');
    await expect(
      runOp(op('createAndStartVMFromISO'), t.services, name, vmParams('/etc/passwd', iso)),
    ).rejects.toMatchObject({ reason: 'InvalidParameter' });
    expect(await domstate(name)).toBe('absent');
  });

  it("resizeDisk of the running VM's disk grows it online (libvirt block resize)", async () => {
    const out = await runOp(op('resizeDisk'), t.services, disk, {
      type: 'localfs',
      pool,
      capacity: 13 * GiB,
    });
    expect(out.report).toMatchObject({ virtual_size: 13 * GiB, vm });
    expect(await virsh('domblkinfo', vm, 'vda')).toMatch(new RegExp(`Capacity:\\s+${13 * GiB}`));
  });

  it('suspendVM, resumeVM, rebootVM, resetVM', async () => {
    expect((await runOp(op('suspendVM'), t.services, vm, {})).spec).toMatchObject({ powerstate: 'Paused' });
    expect(await domstate(vm)).toBe('paused');
    expect((await runOp(op('resumeVM'), t.services, vm, {})).spec).toMatchObject({ powerstate: 'Running' });
    expect(await domstate(vm)).toBe('running');
    expect((await runOp(op('rebootVM'), t.services, vm, {})).spec).toMatchObject({ powerstate: 'Running' });
    expect((await runOp(op('resetVM'), t.services, vm, {})).spec).toMatchObject({ powerstate: 'Running' });
    expect(await domstate(vm)).toBe('running');
  });

  it('stopVM on a guest that ignores ACPI ends with a clear timeout; the VM keeps running', async () => {
    const p = runOp(op('stopVM'), t.services, vm, {});
    await expect(p).rejects.toMatchObject({ reason: 'Timeout' });
    await expect(p).rejects.toThrow(/ignores ACPI.*stopVMForce/);
    expect(await domstate(vm)).toBe('running');
  });

  it('plugDisk hot-plugs a second disk; deleteDisk of a disk in use is refused', async () => {
    await runOp(op('createDisk'), t.services, disk2, {
      type: 'localfs',
      pool,
      capacity: 2 * GiB,
      format: 'qcow2',
    });
    const src = join(poolDir, disk2, disk2);
    const out = await runOp(op('plugDisk'), t.services, vm, {
      source: src,
      target: 'vdb',
      live: true,
      config: true,
    });
    expect(await virsh('domblklist', vm)).toContain(src);
    expect(JSON.stringify(out.report)).toContain(src);
    expect(await readFile(`/var/lib/libvirt/devices/${vm}-disk-vdb.xml`, 'utf8')).toContain(src);
    await expect(
      runOp(op('plugDisk'), t.services, vm, { source: src, target: 'vdb', live: true }),
    ).rejects.toMatchObject({ reason: 'AlreadyExists' });
    const del = runOp(op('deleteDisk'), t.services, disk2, { type: 'localfs', pool });
    await expect(del).rejects.toMatchObject({ reason: 'InUse' });
    await expect(del).rejects.toThrow(new RegExp(`domain '${vm}'`));
    expect(existsSync(src)).toBe(true);
  });

  it('unplugDisk: removed from the definition, the live removal is reported as not acknowledged', async () => {
    const p = runOp(op('unplugDisk'), t.services, vm, { target: 'vdb', live: true, config: true });
    await expect(p).rejects.toMatchObject({ reason: 'Timeout' });
    await expect(p).rejects.toThrow(/did not release disk vdb.*persistent definition/);
    expect(await virsh('domblklist', vm, '--inactive')).not.toContain(disk2);
  });

  it('stopVMForce powers off; startVM boots again; deleteVM undefines', async () => {
    expect((await runOp(op('stopVMForce'), t.services, vm, {})).spec).toMatchObject({
      powerstate: 'Shutdown',
    });
    expect(await domstate(vm)).toBe('shut off');
    expect((await runOp(op('startVM'), t.services, vm, {})).spec).toMatchObject({ powerstate: 'Running' });
    expect(await domstate(vm)).toBe('running');
    // deleteVM refuses a running VM (as documented), and nothing changes
    await expect(runOp(op('deleteVM'), t.services, vm, {})).rejects.toMatchObject({
      reason: 'InvalidParameter',
    });
    expect(await domstate(vm)).toBe('running');
    await runOp(op('stopVMForce'), t.services, vm, {});
    const out = await runOp(op('deleteVM'), t.services, vm, {});
    expect(out.deleteObject).toBe(true);
    expect(await domstate(vm)).toBe('absent');
    expect(existsSync(`/var/lib/libvirt/devices/${vm}-disk-vdb.xml`)).toBe(false);
  });

  it('startVM of a VM that is not defined fails with NotFound', async () => {
    await expect(runOp(op('startVM'), t.services, unique('vm'), {})).rejects.toMatchObject({
      reason: 'NotFound',
      message: expect.stringMatching(/^VM '.*' not found$/),
    });
  });

  it('deletePool while the pool holds disks is refused, nothing removed', async () => {
    const p = runOp(op('deletePool'), t.services, pool, {});
    await expect(p).rejects.toMatchObject({ reason: 'InUse' });
    await expect(p).rejects.toThrow(/holds 2 disk/);
    expect(existsSync(join(poolDir, 'content'))).toBe(true);
  });

  it('deleteDisk and deletePool clean the host', async () => {
    expect((await runOp(op('deleteDisk'), t.services, disk2, { type: 'localfs', pool })).deleteObject).toBe(
      true,
    );
    expect((await runOp(op('deleteDisk'), t.services, disk, { type: 'localfs', pool })).deleteObject).toBe(
      true,
    );
    expect(existsSync(join(poolDir, disk))).toBe(false);
    expect((await runOp(op('deletePool'), t.services, pool, {})).deleteObject).toBe(true);
    expect(existsSync(join(poolDir, 'content'))).toBe(false);
    expect(await libvirtPool(pool)).toBeUndefined();
  });
});

async function virshlessInfo(file: string): Promise<string> {
  const { execa } = await import('execa');
  return (await execa('qemu-img', ['info', '-U', '--output=json', file])).stdout;
}
