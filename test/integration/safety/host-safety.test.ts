/**
 * Issue 11's host-safety defects, each against the real test bed (libvirtd, qemu-img, OVN NB, the
 * file system): symlinks out of the roots and block devices in VM paths, plugDisk's in-use check,
 * deleteDisk of a directory that is not a disk, overlapping pools, a switch gateway on the network
 * or broadcast address, device-file clean-up by bare prefix, and the recover hooks that look at
 * the host after a crash. Every refusal is checked to leave the host unchanged.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recoverOnHost } from '../../../src/agent/recover-host.js';
import { validateParams } from '../../../src/executors/validate.js';
import { createAndStartVMFromISO } from '../../../src/executors/virtual-machine/create-and-start-vm-from-iso.js';
import { deleteVM } from '../../../src/executors/virtual-machine/delete-vm.js';
import { DEVICES_DIR, diskDeviceFile } from '../../../src/executors/virtual-machine/device-files.js';
import { plugDisk } from '../../../src/executors/virtual-machine/plug-disk.js';
import { createDisk } from '../../../src/executors/virtual-machine-disk/create-disk.js';
import { deleteDisk } from '../../../src/executors/virtual-machine-disk/delete-disk.js';
import { createSwitchOp } from '../../../src/executors/virtual-machine-network/create-switch.js';
import { createPool } from '../../../src/executors/virtual-machine-pool/create-pool.js';
import { buildDomainXml, domainSpecFromParams } from '../../../src/libvirt/domain-xml/index.js';
import { redactParams } from '../../../src/redact.js';
import { buildTestIso } from '../../fixtures/e2e/iso.js';
import {
  contextFor,
  domstate,
  type E2E,
  e2eServices,
  GiB,
  removeDomain,
  runOp,
  virsh,
  vmParams,
} from '../e2e/helpers.js';
import { connectNet, context, type Net, nbFind, run } from '../ovn/fixture.js';
import { hs11 } from './names.js';

let t: E2E;
let net: Net;
let poolDir: string;
let iso: string;
const pool = hs11('pool');
const diskA = hs11('da');
const diskB = hs11('db');
const vmA = hs11('vma');
const vmB = hs11('vmb');
const outside = `/tmp/${hs11('outside')}`;
const fileOf = (d: string) => join(poolDir, d, d);

beforeAll(async () => {
  t = await e2eServices();
  net = await connectNet();
  poolDir = join(t.root, pool);
  iso = await buildTestIso(join(t.root, 'iso'), 'hs11');
  await mkdir(outside, { recursive: true });
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', join(outside, 'secret.qcow2'), '1G']);
  await writeFile(join(outside, 'secret.iso'), 'not yours\n');
  await runOp(createPool, t.services, pool, { type: 'dir', content: 'vmd', url: poolDir });
  for (const d of [diskA, diskB]) {
    await runOp(createDisk, t.services, d, { type: 'localfs', pool, capacity: GiB, format: 'qcow2' });
  }
});

afterAll(async () => {
  for (const vm of [vmA, vmB]) await removeDomain(vm);
  await rm(outside, { recursive: true, force: true });
  await net?.close();
  await t?.storage.deletePool(pool, { force: true }).catch(() => undefined);
  await t?.close();
});

/** The rejection of `p`, which must be a KubestackError with `reason` naming `field`. */
async function refused(p: Promise<unknown>, reason: string, field?: string): Promise<Error> {
  const err = (await p.then(
    () => undefined,
    (e: unknown) => e,
  )) as (Error & { reason?: string; details?: { field?: string } }) | undefined;
  expect(err, 'the operation was expected to be refused').toBeInstanceOf(Error);
  expect(err?.reason).toBe(reason);
  if (field !== undefined) expect(err?.details?.field).toBe(field);
  return err as Error;
}

describe('defect 1: symlinks and devices in VM paths', () => {
  it('createAndStartVMFromISO refuses a disk symlink leading out of the roots; no domain', async () => {
    const link = join(t.root, 'link-disk.qcow2');
    await symlink(join(outside, 'secret.qcow2'), link);
    const err = await refused(
      runOp(createAndStartVMFromISO, t.services, vmA, vmParams(link, iso)),
      'InvalidParameter',
      'disk',
    );
    expect(err.message).toMatch(/symbolic link/);
    expect(await domstate(vmA)).toBe('absent');
  });

  it('createAndStartVMFromISO refuses a cdrom symlink leading out of the roots; no domain', async () => {
    const link = join(t.root, 'link.iso');
    await symlink(join(outside, 'secret.iso'), link);
    await refused(
      runOp(createAndStartVMFromISO, t.services, vmA, vmParams(fileOf(diskA), link)),
      'InvalidParameter',
      'cdrom',
    );
    expect(await domstate(vmA)).toBe('absent');
  });

  it('createAndStartVMFromISO runs with the real paths; plugDisk refuses a symlink out and a device node', async () => {
    await runOp(createAndStartVMFromISO, t.services, vmA, vmParams(fileOf(diskA), iso));
    expect(await domstate(vmA)).toBe('running');
    const link = join(t.root, 'link-plug.qcow2');
    await symlink(join(outside, 'secret.qcow2'), link);
    const raw = { source: link, target: 'vdc', config: true };
    const err = await refused(runOp(plugDisk, t.services, vmA, raw), 'InvalidParameter', 'source');
    expect(err.message).toMatch(/outside/);
    const node = join(t.root, 'hs11-blk');
    execFileSync('mknod', [node, 'b', '7', '200']);
    const dev = await refused(
      runOp(plugDisk, t.services, vmA, { source: node, target: 'vdc', config: true }),
      'InvalidParameter',
      'source',
    );
    expect(dev.message).toMatch(/block device needs sourcetype=block/);
    const blk = await virsh('domblklist', vmA, '--inactive');
    expect(blk).not.toContain('secret.qcow2');
    expect(blk).not.toContain('hs11-blk');
  });
});

describe('defect 3: plugDisk runs the in-use check', () => {
  it("refuses another running VM's writable disk (config only), names the domain; nothing changes", async () => {
    await runOp(createAndStartVMFromISO, t.services, vmB, vmParams(fileOf(diskB), iso));
    const before = await virsh('dumpxml', vmB, '--inactive');
    const err = await refused(
      runOp(plugDisk, t.services, vmB, { source: fileOf(diskA), target: 'vdb', config: true }),
      'InUse',
      'source',
    );
    expect(err.message).toContain(`running domain '${vmA}'`);
    expect(await virsh('dumpxml', vmB, '--inactive')).toBe(before);
    expect(existsSync(diskDeviceFile(vmB, 'vdb'))).toBe(false);
  });

  it('locks the domain and every writable disk file, not the raw parameter', () => {
    const p = validateParams(createAndStartVMFromISO, vmParams(fileOf(diskA), iso));
    const ctx = contextFor('VirtualMachine', vmA, t.services);
    expect(createAndStartVMFromISO.locks?.(p as never, ctx)).toEqual([`domain:${vmA}`, `disk:${diskA}`]);
  });
});

describe('defect 7: device files of another VM survive deleteVM', () => {
  it(`deleting ${vmB} keeps ${vmB}-2's device file`, async () => {
    await mkdir(DEVICES_DIR, { recursive: true });
    const other = join(DEVICES_DIR, `${vmB}-2-disk-vda.xml`);
    const own = diskDeviceFile(vmB, 'vdz');
    await writeFile(other, '<disk/>\n');
    await writeFile(own, '<disk/>\n');
    try {
      // deleteVM refuses a running VM (as documented): power it off first
      await virsh('destroy', vmB).catch(() => undefined);
      await runOp(deleteVM, t.services, vmB, {});
      expect(await domstate(vmB)).toBe('absent');
      expect(existsSync(own)).toBe(false);
      expect(existsSync(other)).toBe(true);
    } finally {
      await rm(other, { force: true });
      await rm(own, { force: true });
    }
  });
});

describe('defect 2: deleteDisk deletes only a disk of ours; pools never overlap', () => {
  it('a plain directory, or a nested pool with a config.json, named like a disk is NotFound and stays', async () => {
    const plain = hs11('plain');
    await mkdir(join(poolDir, plain, 'inner'), { recursive: true });
    await writeFile(join(poolDir, plain, 'inner', 'running-vm-disk'), 'data');
    await refused(runOp(deleteDisk, t.services, plain, { type: 'localfs', pool }), 'NotFound');
    expect(existsSync(join(poolDir, plain, 'inner', 'running-vm-disk'))).toBe(true);
    const nested = hs11('nested');
    await mkdir(join(poolDir, nested), { recursive: true });
    await writeFile(join(poolDir, nested, 'content'), 'vmd');
    const cur = join(poolDir, nested, nested);
    await writeFile(cur, 'data');
    const cfg = { name: nested, dir: join(poolDir, nested), current: cur, pool };
    await writeFile(join(poolDir, nested, 'config.json'), JSON.stringify(cfg));
    await refused(runOp(deleteDisk, t.services, nested, { type: 'localfs', pool }), 'NotFound');
    expect(existsSync(cur)).toBe(true);
  });

  it('createPool refuses a path inside another pool, inside a disk directory, or containing a pool', async () => {
    const raw = (url: string) => ({ type: 'dir', content: 'vmd', url });
    await refused(runOp(createPool, t.services, hs11('p2'), raw(join(poolDir, 'sub'))), 'InUse', 'url');
    await refused(runOp(createPool, t.services, hs11('p3'), raw(join(poolDir, diskA, 'x'))), 'InUse', 'url');
    await refused(runOp(createPool, t.services, hs11('p4'), raw(t.root)), 'InUse', 'url');
    expect(existsSync(join(poolDir, 'sub'))).toBe(false);
    expect(existsSync(join(poolDir, diskA, 'x'))).toBe(false);
    expect(await t.storage.listPools().then((l) => l.map((p) => p.name))).toEqual([pool]);
  });
});

describe('defect 5: createSwitch gateway is a host address', () => {
  for (const gateway of ['192.168.211.0', '192.168.211.255']) {
    it(`refuses gateway ${gateway} on 192.168.211.0/24; no OVN row`, async () => {
      const sw = hs11('sw');
      const p = run(createSwitchOp, context(net, sw), { subnet: '192.168.211.0/24', gateway });
      const err = await refused(p, 'InvalidParameter', 'gateway');
      expect(err.message).toMatch(/network|broadcast/);
      expect(await nbFind('Logical_Switch', 'name', `name=${sw}`)).toEqual([]);
      expect(await nbFind('Logical_Router', 'name', `name=${sw}-router`)).toEqual([]);
    });
  }
});

describe('defect 4: recover hooks look at the host', () => {
  it('createAndStartVMFromISO: a defined, never-started domain of ours is undefined; a resubmit works', async () => {
    const vm = hs11('vmr');
    const raw = vmParams(fileOf(diskB), iso);
    const params = validateParams(createAndStartVMFromISO, raw);
    const ctx = contextFor('VirtualMachine', vm, t.services);
    try {
      // the state a kill -9 between define and start leaves
      const spec = domainSpecFromParams(params as never, { name: vm, nodeVirtType: t.services.virtType });
      await t.libvirt.domainDefineXMLFlags(buildDomainXml(spec), 0);
      expect(await domstate(vm)).toBe('shut off');
      // with the parameters as the journal keeps them: secrets redacted
      const journaled = redactParams(createAndStartVMFromISO, params);
      expect(journaled.graphics).toBe('***');
      expect(await recoverOnHost(createAndStartVMFromISO, ctx, journaled)).toEqual({ state: 'undone' });
      expect(await domstate(vm)).toBe('absent');
      await runOp(createAndStartVMFromISO, t.services, vm, raw);
      const r = await recoverOnHost(createAndStartVMFromISO, ctx, params);
      expect(r.state).toBe('finished');
      expect(r.state === 'finished' && r.outcome.spec).toEqual({ powerstate: 'Running' });
    } finally {
      await removeDomain(vm);
    }
  });

  it('createAndStartVMFromISO: a domain that is not ours (other disks) is left alone', async () => {
    const params = validateParams(createAndStartVMFromISO, vmParams(fileOf(diskB), iso));
    const ctx = contextFor('VirtualMachine', vmA, t.services);
    expect((await recoverOnHost(createAndStartVMFromISO, ctx, params)).state).toBe('unknown');
    expect(await domstate(vmA)).toBe('running');
  });

  it('createDisk: a complete disk is the finished result; an absent one is undone', async () => {
    const ctx = contextFor('VirtualMachineDisk', diskA, t.services);
    const params = validateParams(createDisk, { type: 'localfs', pool, capacity: GiB, format: 'qcow2' });
    const r = await recoverOnHost(createDisk, ctx, params);
    expect(r.state).toBe('finished');
    expect(r.state === 'finished' && r.outcome.report).toMatchObject({
      disk: diskA,
      pool,
      virtual_size: GiB,
    });
    const gone = contextFor('VirtualMachineDisk', hs11('nodisk'), t.services);
    expect(await recoverOnHost(createDisk, gone, params)).toEqual({ state: 'undone' });
  });
});
