/**
 * External disk snapshots through the apiserver (agent with its ServiceAccount, payloads as the Java
 * SDK sends them): create / revert / delete offline, then create / delete while the disk's VM runs
 * (libvirt disk-only snapshot, block commit with pivot, block commit of a middle layer). Chains are
 * checked with qemu-img and virsh, data with qemu-io patterns written before each step; no orphan
 * file is left. The VM boots firmware only (no guest OS is needed for QEMU to own the chain).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestIso } from '../../fixtures/e2e/iso.js';
import { badPatterns, leftovers, MiB, type Pattern, tree, writePattern } from '../storage/helpers.js';
import { removeDomain, virsh, vmParams } from './helpers.js';
import {
  reasonOf,
  type StorageAgent,
  st12,
  startStorageAgent,
  volumeMisfits,
  volumeOf,
} from './storage-agent.js';

let t: StorageAgent;
const pool = st12('pool');
const disk = st12('disk');
const vm = st12('vm');
const s1 = st12('s1');
const s2 = st12('s2');
const s3 = st12('s3');
const s4 = st12('s4');
const s5 = st12('s5');
const A: Pattern = { pattern: 0xa1, offset: 0, len: 1 * MiB };
const B: Pattern = { pattern: 0xb2, offset: 300 * MiB, len: 1 * MiB };
const C: Pattern = { pattern: 0xc3, offset: 0, len: 1 * MiB };

const dir = () => join(t.root, pool, disk);
const base = () => join(dir(), disk);
const snapFile = (s: string) => join(dir(), 'snapshots', s);
const snapParams = (extra: Record<string, unknown> = {}) => ({
  type: 'localfs',
  pool,
  vol: disk,
  format: 'qcow2',
  ...extra,
});

async function current(): Promise<string> {
  return (await t.storage.diskInfo({ pool, name: disk })).current;
}

async function chain(top: string): Promise<string[]> {
  const out = await execa('qemu-img', ['info', '-U', '--backing-chain', '--output=json', top]);
  return (JSON.parse(out.stdout) as { filename: string }[]).map((i) => i.filename);
}

async function domainDiskSource(): Promise<string> {
  const line = (await virsh('domblklist', vm)).split('\n').find((l) => l.trim().startsWith('vda'));
  return line?.trim().split(/\s+/)[1] ?? '';
}

beforeAll(async () => {
  t = await startStorageAgent('st12-snaps');
  expect(
    reasonOf(
      await t.createWith('VirtualMachinePool', pool, 'createPool', {
        type: 'dir',
        content: 'vmd',
        url: join(t.root, pool),
      }),
    ),
  ).toBe('Ready');
  expect(
    reasonOf(
      await t.createWith('VirtualMachineDisk', disk, 'createDisk', {
        type: 'localfs',
        pool,
        capacity: '1073741824',
        format: 'qcow2',
      }),
    ),
  ).toBe('Ready');
  await writePattern(base(), A.pattern, A.offset, A.len);
  await writePattern(base(), B.pattern, B.offset, B.len);
}, 120_000);

afterAll(async () => {
  await removeDomain(vm);
  await t?.close();
});

describe('offline (no VM)', () => {
  it('create: an overlay over current becomes current, reported with its frozen point and chain', async () => {
    const o = await t.createWith(
      'VirtualMachineDiskSnapshot',
      s1,
      'createDiskExternalSnapshot',
      snapParams(),
    );
    expect(reasonOf(o)).toBe('Ready');
    expect(await current()).toBe(snapFile(s1));
    expect(await chain(snapFile(s1))).toEqual([snapFile(s1), base()]);
    expect(volumeOf(o)).toMatchObject({
      disk,
      pool,
      snapshot: s1,
      current: snapFile(s1),
      full_backing_filename: base(),
      chain: [snapFile(s1), base()],
    });
    expect(volumeMisfits(o)).toEqual([]);
    await writePattern(snapFile(s1), C.pattern, C.offset, C.len);
    // uni-virt's spelling: source for vol
    const o2 = await t.createWith('VirtualMachineDiskSnapshot', s2, 'createDiskExternalSnapshot', {
      type: 'localfs',
      pool,
      source: disk,
      format: 'qcow2',
    });
    expect(reasonOf(o2)).toBe('Ready');
    expect(await chain(await current())).toEqual([snapFile(s2), snapFile(s1), base()]);
    expect(await badPatterns(snapFile(s2), [C, B])).toEqual([]);
  });

  it('bad requests fail clearly and change nothing', async () => {
    const before = await tree(dir());
    const taken = await t.request(
      'VirtualMachineDiskSnapshot',
      s1,
      'createDiskExternalSnapshot',
      snapParams(),
    );
    expect(reasonOf(taken)).toBe('AlreadyExists');
    const x = st12('x');
    const noDisk = await t.createWith(
      'VirtualMachineDiskSnapshot',
      x,
      'createDiskExternalSnapshot',
      snapParams({ vol: 'st12-nosuchdisk' }),
    );
    expect(reasonOf(noDisk)).toBe('NotFound');
    expect(JSON.stringify(noDisk?.spec?.status)).toContain('st12-nosuchdisk');
    const noDomain = await t.createWith(
      'VirtualMachineDiskSnapshot',
      st12('y'),
      'createDiskExternalSnapshot',
      snapParams({ domain: 'st12-nosuchvm' }),
    );
    expect(reasonOf(noDomain)).toBe('NotFound');
    expect(JSON.stringify(noDomain?.spec?.status)).toContain('st12-nosuchvm');
    const noSnap = await t.createWith(
      'VirtualMachineDiskSnapshot',
      st12('w'),
      'revertDiskExternalSnapshot',
      snapParams(),
    );
    expect(reasonOf(noSnap)).toBe('NotFound');
    expect(await tree(dir())).toEqual(before);
    expect(await current()).toBe(snapFile(s2));
  });

  it('revert: a new overlay over the frozen point; the old branch stays', async () => {
    const o = await t.request('VirtualMachineDiskSnapshot', s1, 'revertDiskExternalSnapshot', snapParams());
    expect(reasonOf(o)).toBe('Ready');
    const top = await current();
    expect(top).not.toBe(snapFile(s1));
    expect(await chain(top)).toEqual([top, base()]);
    expect(await badPatterns(top, [A, B])).toEqual([]);
    expect(existsSync(snapFile(s1)) && existsSync(snapFile(s2))).toBe(true);
    expect(await badPatterns(snapFile(s2), [C, B])).toEqual([]);
    expect(volumeOf(o)).toMatchObject({ snapshot: s1, disk_current: top, is_current: false });
  });

  it('delete: the abandoned branch goes snapshot by snapshot; data on current is untouched', async () => {
    const top = await current();
    expect(
      await t.request('VirtualMachineDiskSnapshot', s2, 'deleteDiskExternalSnapshot', snapParams()),
    ).toBe(undefined);
    expect(existsSync(snapFile(s2))).toBe(false);
    expect(
      await t.request('VirtualMachineDiskSnapshot', s1, 'deleteDiskExternalSnapshot', snapParams()),
    ).toBe(undefined);
    expect(existsSync(snapFile(s1))).toBe(false);
    expect(await current()).toBe(top);
    expect(await badPatterns(top, [A, B])).toEqual([]);
  });
});

describe("online (the disk's VM runs)", () => {
  it('create goes through libvirt: the running domain switches to the new overlay', async () => {
    const iso = await buildTestIso(join(t.root, 'iso'), 'st12-installer');
    const top = await current();
    const o = await t.createWith('VirtualMachine', vm, 'createAndStartVMFromISO', vmParams(top, iso));
    expect(reasonOf(o)).toBe('Running');
    const s = await t.createWith(
      'VirtualMachineDiskSnapshot',
      s3,
      'createDiskExternalSnapshot',
      snapParams({ domain: vm }),
    );
    expect(reasonOf(s)).toBe('Ready');
    expect(await domainDiskSource()).toBe(snapFile(s3));
    expect(await current()).toBe(snapFile(s3));
    expect(await chain(snapFile(s3))).toEqual([snapFile(s3), top, base()]);
    const wrong = await t.createWith(
      'VirtualMachineDiskSnapshot',
      st12('z'),
      'createDiskExternalSnapshot',
      snapParams({ domain: 'st12-nosuchvm' }),
    );
    expect(reasonOf(wrong)).toBe('NotFound');
  });

  it('revert is refused while the VM uses the disk, naming the domain', async () => {
    const o = await t.request('VirtualMachineDiskSnapshot', s3, 'revertDiskExternalSnapshot', snapParams());
    expect(reasonOf(o)).toBe('InUse');
    expect(JSON.stringify(o?.spec?.status)).toContain(vm);
    expect(await domainDiskSource()).toBe(snapFile(s3));
  });

  it('delete of the active top: block commit + pivot back to the frozen file', async () => {
    const below = (await chain(snapFile(s3)))[1] as string;
    expect(
      await t.request(
        'VirtualMachineDiskSnapshot',
        s3,
        'deleteDiskExternalSnapshot',
        snapParams({ domain: vm }),
      ),
    ).toBe(undefined);
    expect(await domainDiskSource()).toBe(below);
    expect(await current()).toBe(below);
    expect(existsSync(snapFile(s3))).toBe(false);
  });

  it('delete of a middle layer: block commit into its frozen file, the top re-pointed', async () => {
    const bottom = await current();
    for (const s of [s4, s5]) {
      const o = await t.createWith(
        'VirtualMachineDiskSnapshot',
        s,
        'createDiskExternalSnapshot',
        snapParams(),
      );
      expect(reasonOf(o)).toBe('Ready');
    }
    expect(await domainDiskSource()).toBe(snapFile(s5));
    expect(
      await t.request('VirtualMachineDiskSnapshot', s4, 'deleteDiskExternalSnapshot', snapParams()),
    ).toBe(undefined);
    expect(existsSync(snapFile(s4))).toBe(false);
    expect(await chain(snapFile(s5))).toEqual([snapFile(s5), bottom, base()]);
    expect(await domainDiskSource()).toBe(snapFile(s5));
  });

  it('after the VM stops, every pattern reads back and nothing is left over', async () => {
    await virsh('destroy', vm);
    expect(await t.request('VirtualMachine', vm, 'deleteVM', {})).toBe(undefined);
    expect(await badPatterns(await current(), [A, B])).toEqual([]);
    expect(
      await t.request('VirtualMachineDiskSnapshot', s5, 'deleteDiskExternalSnapshot', snapParams()),
    ).toBe(undefined);
    expect(await badPatterns(await current(), [A, B])).toEqual([]);
    expect(await t.request('VirtualMachineDisk', disk, 'deleteDisk', { type: 'localfs', pool })).toBe(
      undefined,
    );
    const entries = await tree(join(t.root, pool));
    expect(leftovers(entries)).toEqual([]);
    expect(entries.filter((e) => !e.startsWith('.ks-') && e !== 'content')).toEqual([]);
  });
});
