/**
 * Pool drivers on the real host: dir pools, a glusterfs pool on the test bed's volume (real FUSE
 * mount), and the clear refusals for what this host cannot do (nfs: no nfs in the kernel here).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exists } from '../../../src/storage/fsutil.js';
import { isMounted } from '../../../src/storage/pools.js';
import { testbedEnv } from '../testbed-env.js';
import { badPatterns, MiB, type Sandbox, sandbox, writePattern } from './helpers.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await sandbox();
});
afterAll(async () => {
  // a failed test must not leave the gluster mount behind
  const { execa } = await import('execa');
  for (const p of await sb.engine.listPools().catch(() => [])) {
    if (await isMounted(p.path)) await execa('umount', [p.path], { reject: false });
  }
  await sb?.cleanup();
});

describe('dir pools', () => {
  it('create, info with capacity, stop, start, autostart, delete', async () => {
    const path = sb.poolPath('dirpool');
    const info = await sb.engine.createPool({ name: 'ksp-dirpool', type: 'localfs', path, content: 'vmdi' });
    expect(info).toMatchObject({
      pool: 'ksp-dirpool',
      state: 'active',
      content: 'vmdi',
      type: 'localfs',
      url: path,
    });
    expect(info.capacity).toBeGreaterThan(info.free);
    expect(info.free).toBeGreaterThan(0);
    expect(info.capacityText).toMatch(/ [KMGT]?B$|kB$/);
    expect(await readFile(join(path, 'content'), 'utf8')).toBe('vmdi');
    await expect(
      sb.engine.createPool({ name: 'ksp-dirpool', type: 'dir', path: `${path}2` }),
    ).rejects.toMatchObject({
      reason: 'AlreadyExists',
    });
    await expect(sb.engine.createPool({ name: 'ksp-other', type: 'dir', path })).rejects.toMatchObject({
      reason: 'InUse',
    });
    expect((await sb.engine.stopPool('ksp-dirpool')).state).toBe('inactive');
    await expect(
      sb.engine.createDisk({ pool: 'ksp-dirpool', name: 'nope-disk', capacity: MiB }),
    ).rejects.toThrow(/not active/);
    expect((await sb.engine.startPool('ksp-dirpool')).state).toBe('active');
    expect((await sb.engine.setPoolAutostart('ksp-dirpool', false)).autostart).toBe(false);
    await sb.engine.createDisk({ pool: 'ksp-dirpool', name: 'held-disk', capacity: MiB });
    await expect(sb.engine.deletePool('ksp-dirpool')).rejects.toMatchObject({ reason: 'InUse' });
    await sb.engine.deleteDisk({ pool: 'ksp-dirpool', name: 'held-disk' });
    await sb.engine.deletePool('ksp-dirpool');
    expect(await exists(path)).toBe(false);
    await expect(sb.engine.poolInfo('ksp-dirpool')).rejects.toMatchObject({ reason: 'NotFound' });
  });

  it('refuses pool paths outside the allowed roots and bad types', async () => {
    await expect(
      sb.engine.createPool({ name: 'ksp-bad1', type: 'dir', path: '/tmp/ksp-bad1' }),
    ).rejects.toMatchObject({
      reason: 'InvalidParameter',
    });
    await expect(
      sb.engine.createPool({ name: 'ksp-bad2', type: 'dir', path: '/var/lib/libvirt/../../etc/ksp' }),
    ).rejects.toMatchObject({ reason: 'InvalidParameter' });
    await expect(
      sb.engine.createPool({ name: 'ksp-bad3', type: 'zfs', path: sb.poolPath('x') }),
    ).rejects.toThrow(/invalid pool type/);
    expect(await sb.engine.listPools()).toEqual([]);
  });
});

describe('network and cluster pools', () => {
  it('glusterfs: mounts the volume under the pool path, holds disks, unmounts on stop and delete', async () => {
    const { glusterVolume } = testbedEnv();
    const path = sb.poolPath('glpool');
    const info = await sb.engine.createPool({
      name: 'ksp-glpool',
      type: 'glusterfs',
      path,
      source: glusterVolume,
    });
    expect(info.state).toBe('active');
    expect(await isMounted(path)).toBe(true);
    expect(info.sourceHost).toBe(glusterVolume.split(':')[0]);
    const disk = `ksp-gl-${sb.root.slice(-8)}`;
    const d = await sb.engine.createDisk({ pool: 'ksp-glpool', name: disk, capacity: 64 * MiB });
    await writePattern(d.current, 0x5a, MiB);
    await sb.engine.createSnapshot({ pool: 'ksp-glpool', name: disk, snapshot: 'glsnap' });
    await writePattern((await sb.engine.diskInfo({ pool: 'ksp-glpool', name: disk })).current, 0x5b, 2 * MiB);

    await sb.engine.stopPool('ksp-glpool');
    expect(await isMounted(path)).toBe(false);
    await sb.engine.startPool('ksp-glpool');
    expect(await isMounted(path)).toBe(true);
    const cur = (await sb.engine.diskInfo({ pool: 'ksp-glpool', name: disk })).current;
    expect(
      await badPatterns(cur, [
        { pattern: 0x5a, offset: MiB },
        { pattern: 0x5b, offset: 2 * MiB },
      ]),
    ).toEqual([]);

    await sb.engine.deleteDisk({ pool: 'ksp-glpool', name: disk });
    await sb.engine.deletePool('ksp-glpool');
    expect(await isMounted(path)).toBe(false);
    expect(await exists(path)).toBe(false);
  });

  it('nfs: a clear error on a kernel without NFS; nothing registered', async () => {
    const fs = await readFile('/proc/filesystems', 'utf8');
    const call = sb.engine.createPool({
      name: 'ksp-nfspool',
      type: 'nfs',
      path: sb.poolPath('nfs'),
      source: '10.0.0.1:/export',
    });
    if (fs.includes('\tnfs\n')) {
      // a host with NFS: the mount of an unreachable server fails as a command error instead
      await expect(call).rejects.toBeDefined();
    } else {
      await expect(call).rejects.toThrow(
        /nfs pools are not supported on this host: the kernel cannot mount nfs/,
      );
    }
    await expect(sb.engine.poolInfo('ksp-nfspool')).rejects.toMatchObject({ reason: 'NotFound' });
  });

  it('cephfs, rbd, vdiskfs, uus: "not supported on this host" with the reason', async () => {
    for (const type of ['cephfs', 'rbd', 'cephrbd', 'vdiskfs', 'uus']) {
      await expect(
        sb.engine.createPool({ name: `ksp-${type}`, type, path: sb.poolPath(type) }),
      ).rejects.toMatchObject({
        reason: 'Unsupported',
        message: expect.stringMatching(/not supported on this host: .+/),
      });
    }
  });
});
