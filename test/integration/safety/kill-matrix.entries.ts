/**
 * The kill -9 matrix, as data: one entry per host-changing operation. To add an operation, add an
 * entry: what to prepare on the host, the lifecycle request, what would be orphaned or wrong on the
 * host given the final state the object reached, and how to clean up. The matrix
 * (kill-matrix.test.ts) runs every entry at every journal phase and at random points inside the
 * handler, and prints operation × kill point → outcome.
 *
 * This file holds the types, the shared host checks and the first group (disks, pools, the VM
 * create, a switch); other groups live in kill-matrix-<group>.entries.ts, each with its own
 * kill-matrix-<group>.test.ts, and kill-matrix.all.ts lists them all.
 */
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Services } from '../../../src/executors/services.js';
import { mirrorLibvirtPool, mirrorOf } from '../../../src/executors/virtual-machine-pool/libvirt-pool.js';
import type { KindName } from '../../../src/kinds.js';
import type { LibvirtClient } from '../../../src/libvirt/index.js';
import type { StorageEngine } from '../../../src/storage/index.js';
import { domstate, GiB, libvirtPool, removeDomain, virsh, vmParams } from '../e2e/helpers.js';
import { nbctl, nbFind } from '../ovn/fixture.js';

/** What every entry can use: the test's own clients of the same host, and shared fixtures. */
export interface MatrixHost {
  storage: StorageEngine;
  libvirt: LibvirtClient;
  /** The host clients an operation handler gets (to prepare state through another operation). */
  services: Services;
  /** A directory pool registered in the agent's pool registry, for disk operations. */
  pool: string;
  poolDir: string;
  /** A scratch directory inside the allowed roots. */
  root: string;
  iso: string;
}

export interface MatrixEntry {
  operation: string;
  kind: KindName;
  /** Random kill points fall in [0, typicalMs) after the `started` record. */
  typicalMs: number;
  /** The storage engine's journalled operation the handler runs, and its step count: a kill point each. */
  storageSteps?: { op: string; steps: number };
  /** Host state the operation needs, made before each case by the test (not by the agent). */
  prepare?(h: MatrixHost, name: string): Promise<void>;
  request(h: MatrixHost, name: string): Record<string, unknown>;
  /** What is wrong on the host given the object's final state (empty = consistent). */
  orphans(h: MatrixHost, name: string, succeeded: boolean): Promise<string[]>;
  cleanup(h: MatrixHost, name: string): Promise<void>;
  /** Deletes remove the object on success: nothing to resubmit then. */
  deletesObject?: boolean;
}

/** Engine bookkeeping a crash may leave in a pool root (the storage journal removes it at start). */
export async function leftovers(poolDir: string): Promise<string[]> {
  const names = await readdir(poolDir).catch(() => [] as string[]);
  return names
    .filter((n) => n.startsWith('.ks-tmp-') || n.startsWith('.ks-trash-'))
    .map((n) => `${poolDir}/${n}`);
}

export const diskDir = (h: MatrixHost, name: string) => join(h.poolDir, name);

export async function diskState(h: MatrixHost, name: string): Promise<'complete' | 'absent' | 'partial'> {
  const dir = diskDir(h, name);
  if (!existsSync(dir)) return 'absent';
  const ok = await h.storage.diskInfo({ pool: h.pool, name }).then(
    () => true,
    () => false,
  );
  return ok ? 'complete' : 'partial';
}

export const expectDisk = async (
  h: MatrixHost,
  name: string,
  want: 'complete' | 'absent',
): Promise<string[]> => {
  const state = await diskState(h, name);
  return [
    ...(state === want ? [] : [`disk ${name} is ${state}, expected ${want}`]),
    ...(await leftovers(h.poolDir)),
  ];
};

export const removeDisk = async (h: MatrixHost, name: string) => {
  await h.storage.deleteDisk({ pool: h.pool, name }).catch(() => undefined);
  await rm(diskDir(h, name), { recursive: true, force: true });
};

export const expectDomain = async (name: string, want: 'running' | 'absent'): Promise<string[]> => {
  const state = await domstate(name);
  return state === want ? [] : [`domain ${name} is ${state}, expected ${want}`];
};

export async function switchRows(name: string): Promise<string[]> {
  const rows: string[] = [];
  if ((await nbFind('Logical_Switch', 'name', `name=${name}`)).length) rows.push(`Logical_Switch ${name}`);
  if ((await nbFind('Logical_Router', 'name', `name=${name}-router`)).length)
    rows.push(`Logical_Router ${name}-router`);
  const dhcp = await nbFind('DHCP_Options', '_uuid', `external_ids:kubestack/switch=${name}`);
  for (const d of dhcp) rows.push(`DHCP_Options ${d}`);
  return rows;
}

export async function removeSwitch(name: string): Promise<void> {
  await nbctl('--if-exists', 'ls-del', name);
  await nbctl('--if-exists', 'lr-del', `${name}-router`);
  for (const d of await nbFind('DHCP_Options', '_uuid', `external_ids:kubestack/switch=${name}`)) {
    await nbctl('dhcp-options-del', d);
  }
}

export const diskRequest = (h: MatrixHost) => ({
  type: 'localfs',
  pool: h.pool,
  capacity: String(GiB),
  format: 'qcow2',
});

export async function poolState(h: MatrixHost, name: string): Promise<'registered' | 'absent'> {
  return (await h.storage.listPools()).some((p) => p.name === name) ? 'registered' : 'absent';
}

export const expectPool = async (
  h: MatrixHost,
  name: string,
  want: 'registered' | 'absent',
): Promise<string[]> => {
  const state = await poolState(h, name);
  // the libvirt mirror exists exactly when the pool is ours
  const mirror = (await libvirtPool(name)) ? 'registered' : 'absent';
  return [
    ...(state === want ? [] : [`pool ${name} is ${state}, expected ${want}`]),
    ...(mirror === want ? [] : [`libvirt pool ${name} is ${mirror}, expected ${want}`]),
  ];
};

export const poolDirOf = (h: MatrixHost, name: string) => join(h.root, `pool-${name}`);

/** A directory pool named after the object as createPool leaves it: the engine's and its libvirt mirror. */
export async function newPool(h: MatrixHost, name: string, autostart: boolean): Promise<void> {
  const info = await h.storage.createPool({
    name,
    type: 'dir',
    path: poolDirOf(h, name),
    content: 'vmd',
    autostart,
  });
  await mirrorLibvirtPool(h.libvirt, mirrorOf(info));
}

export const removePool = async (h: MatrixHost, name: string) => {
  await h.storage.deletePool(name, { force: true }).catch(() => undefined);
  await virsh('pool-destroy', name).catch(() => undefined);
  await virsh('pool-undefine', name).catch(() => undefined);
  await rm(poolDirOf(h, name), { recursive: true, force: true });
};

export const CORE_MATRIX: readonly MatrixEntry[] = [
  {
    operation: 'createDisk',
    kind: 'VirtualMachineDisk',
    typicalMs: 400,
    request: diskRequest,
    orphans: (h, name, ok) => expectDisk(h, name, ok ? 'complete' : 'absent'),
    cleanup: removeDisk,
  },
  {
    operation: 'deleteDisk',
    kind: 'VirtualMachineDisk',
    typicalMs: 200,
    deletesObject: true,
    prepare: (h, name) => h.storage.createDisk({ pool: h.pool, name, capacity: GiB }).then(() => undefined),
    request: (h) => ({ type: 'localfs', pool: h.pool }),
    orphans: (h, name, ok) => expectDisk(h, name, ok ? 'absent' : 'complete'),
    cleanup: removeDisk,
  },
  {
    operation: 'createAndStartVMFromISO',
    kind: 'VirtualMachine',
    typicalMs: 1500,
    prepare: (h, name) => h.storage.createDisk({ pool: h.pool, name, capacity: GiB }).then(() => undefined),
    request: (h, name) => vmParams(join(h.poolDir, name, name), h.iso),
    orphans: async (h, name, ok) => [
      ...(await expectDomain(name, ok ? 'running' : 'absent')),
      ...(await expectDisk(h, name, 'complete')),
    ],
    cleanup: async (h, name) => {
      await removeDomain(name);
      await removeDisk(h, name);
    },
  },
  {
    operation: 'resizeDisk',
    kind: 'VirtualMachineDisk',
    typicalMs: 200,
    prepare: (h, name) => h.storage.createDisk({ pool: h.pool, name, capacity: GiB }).then(() => undefined),
    request: (h) => ({ type: 'localfs', pool: h.pool, capacity: String(2 * GiB) }),
    orphans: async (h, name, ok) => {
      const problems = await expectDisk(h, name, 'complete');
      const size = (await h.storage.diskInfo({ pool: h.pool, name }).catch(() => undefined))?.virtual_size;
      if (ok && size !== 2 * GiB) problems.push(`disk ${name} is ${size} bytes after a successful resize`);
      return problems;
    },
    cleanup: removeDisk,
  },
  {
    operation: 'createPool',
    kind: 'VirtualMachinePool',
    typicalMs: 200,
    request: (h, name) => ({ type: 'dir', content: 'vmd', url: poolDirOf(h, name), 'auto-start': true }),
    orphans: (h, name, ok) => expectPool(h, name, ok ? 'registered' : 'absent'),
    cleanup: removePool,
  },
  {
    operation: 'deletePool',
    kind: 'VirtualMachinePool',
    typicalMs: 150,
    deletesObject: true,
    prepare: async (h, name) => {
      await newPool(h, name, false);
    },
    request: () => ({ type: 'localfs' }),
    orphans: (h, name, ok) => expectPool(h, name, ok ? 'absent' : 'registered'),
    cleanup: removePool,
  },
  {
    operation: 'createSwitch',
    kind: 'VirtualMachineNetwork',
    typicalMs: 300,
    request: () => ({ subnet: '192.168.213.0/24', gateway: '192.168.213.1', dhcp: '192.168.213.2' }),
    orphans: async (_h, name, ok) => {
      const rows = await switchRows(name);
      if (ok) return rows.length >= 3 ? [] : [`switch ${name} incomplete: ${rows.join(', ') || 'no rows'}`];
      return rows.map((r) => `orphaned ${r}`);
    },
    cleanup: (_h, name) => removeSwitch(name),
  },
];

/** Implemented operations that change nothing on the host (no matrix entry needed). */
export const READ_ONLY_OPERATIONS: readonly string[] = ['showPool'];
