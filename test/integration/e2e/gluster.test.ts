/**
 * A glusterfs pool on the test bed's real volume: CreatePool mounts it with FUSE under
 * /var/lib/libvirt/cstor/<pool>, disks live on it, StopPool unmounts, StartPool mounts again,
 * DeletePool unmounts and forgets it. Cross-checked with /proc/self/mountinfo.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationSpec } from '../../../src/executors/types.js';
import { operations as diskOps } from '../../../src/executors/virtual-machine-disk/index.js';
import { SHARED_FS_ROOT } from '../../../src/executors/virtual-machine-pool/create-pool.js';
import { operations as poolOps } from '../../../src/executors/virtual-machine-pool/index.js';
import { type E2E, e2eServices, env, GiB, runOp, unique } from './helpers.js';

const op = (name: string): OperationSpec => {
  const o = [...diskOps, ...poolOps].find((x) => x.name === name);
  if (!o) throw new Error(`no operation ${name}`);
  return o;
};

async function mountType(path: string): Promise<string | undefined> {
  for (const line of (await readFile('/proc/self/mountinfo', 'utf8')).split('\n')) {
    const parts = line.split(' ');
    const sep = parts.indexOf('-');
    if (parts[4] === path && sep > 0) return parts[sep + 1];
  }
  return undefined;
}

let t: E2E;
const pool = unique('gpool');
const disk = unique('gdisk');
const mountPoint = join(SHARED_FS_ROOT, pool);

beforeAll(async () => {
  t = await e2eServices();
});

afterAll(async () => {
  await t.storage.deleteDisk({ pool, name: disk }).catch(() => undefined);
  await t.storage.deletePool(pool, { force: true }).catch(() => undefined);
  await t.close();
});

describe('glusterfs pool', () => {
  it('createPool mounts the volume and reports it', async () => {
    const out = await runOp(op('createPool'), t.services, pool, {
      type: 'glusterfs',
      content: 'vmd',
      url: env.glusterVolume,
    });
    expect(await mountType(mountPoint)).toBe('fuse.glusterfs');
    expect(existsSync(join(mountPoint, 'content'))).toBe(true);
    expect(out.report).toMatchObject({
      pool,
      type: 'glusterfs',
      path: mountPoint,
      url: env.glusterVolume,
      state: 'active',
    });
  });

  it('a disk on the volume: createDisk, resizeDisk, deleteDisk', async () => {
    const out = await runOp(op('createDisk'), t.services, disk, {
      type: 'glusterfs',
      pool,
      capacity: 2 * GiB,
      format: 'qcow2',
    });
    expect(out.report).toMatchObject({
      current: join(mountPoint, disk, disk),
      virtual_size: 2 * GiB,
      type: 'glusterfs',
    });
    const r = await runOp(op('resizeDisk'), t.services, disk, { type: 'glusterfs', pool, capacity: 3 * GiB });
    expect(r.report).toMatchObject({ virtual_size: 3 * GiB });
    await runOp(op('deleteDisk'), t.services, disk, { type: 'glusterfs', pool });
    expect(existsSync(join(mountPoint, disk))).toBe(false);
  });

  it('stopPool unmounts, startPool mounts again, deletePool unmounts and forgets it', async () => {
    expect((await runOp(op('stopPool'), t.services, pool, { type: 'glusterfs' })).report).toMatchObject({
      state: 'inactive',
    });
    expect(await mountType(mountPoint)).toBeUndefined();
    expect((await runOp(op('startPool'), t.services, pool, { type: 'glusterfs' })).report).toMatchObject({
      state: 'active',
    });
    expect(await mountType(mountPoint)).toBe('fuse.glusterfs');
    expect((await runOp(op('deletePool'), t.services, pool, { type: 'glusterfs' })).deleteObject).toBe(true);
    expect(await mountType(mountPoint)).toBeUndefined();
    await expect(t.storage.poolInfo(pool)).rejects.toMatchObject({ reason: 'NotFound' });
  });
});
