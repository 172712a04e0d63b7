/**
 * Safety rules: bad input gives a clear error and changes nothing; files used by a domain (a real
 * libvirt domain, defined and then running) or as another disk's backing file are never deleted.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageEngine } from '../../../src/storage/index.js';
import { badPatterns, MiB, type Sandbox, sandbox, tree, virsh, writePattern } from './helpers.js';

let sb: Sandbox;
const POOL = 'kssf-pool';
const domain = `ks-storage-test-${randomBytes(3).toString('hex')}`;

beforeAll(async () => {
  sb = await sandbox();
  await sb.engine.createPool({ name: POOL, type: 'dir', path: sb.poolPath(POOL) });
});
afterAll(async () => {
  // retried through libvirtd restarts by other suites, so no test domain outlives the suite
  await virsh('destroy', domain).catch(() => undefined);
  await virsh('undefine', domain).catch(() => undefined);
  await sb?.cleanup();
});

describe('bad input', () => {
  it('is refused with a clear error and changes nothing', async () => {
    await sb.engine.createDisk({ pool: POOL, name: 'input-disk', capacity: 64 * MiB });
    const before = await tree(sb.poolPath(POOL));
    const bad: [() => Promise<unknown>, RegExp][] = [
      [
        () => sb.engine.createDisk({ pool: POOL, name: '../etc', capacity: MiB }),
        /name: '..\/etc' is not a valid name/,
      ],
      [() => sb.engine.createDisk({ pool: POOL, name: 'Upper-Case', capacity: MiB }), /not a valid name/],
      [
        () => sb.engine.createDisk({ pool: POOL, name: 'okname', capacity: 'lots' }),
        /capacity: 'lots' is not a size/,
      ],
      [() => sb.engine.createDisk({ pool: POOL, name: 'okname', capacity: -5 }), /not a positive size/],
      [
        () => sb.engine.createDisk({ pool: POOL, name: 'okname', capacity: MiB, format: 'exe' }),
        /unsupported image format/,
      ],
      [
        () => sb.engine.createDisk({ pool: 'no-such-pool', name: 'okname', capacity: MiB }),
        /pool 'no-such-pool' not found/,
      ],
      [
        () => sb.engine.createDisk({ pool: POOL, name: 'input-disk', capacity: MiB }),
        /disk 'input-disk' already exists/,
      ],
      [
        () => sb.engine.createSnapshot({ pool: POOL, name: 'input-disk', snapshot: 'a/b' }),
        /not a valid name/,
      ],
      [
        () => sb.engine.revertSnapshot({ pool: POOL, name: 'input-disk', snapshot: 'nosuch' }),
        /snapshot 'nosuch' not found/,
      ],
      [
        () => sb.engine.deleteSnapshot({ pool: POOL, name: 'input-disk', snapshot: 'nosuch' }),
        /snapshot 'nosuch' not found/,
      ],
      [() => sb.engine.deleteDisk({ pool: POOL, name: 'nosuch-disk' }), /disk 'nosuch-disk' not found/],
      [
        () => sb.engine.cloneDisk({ pool: POOL, name: 'input-disk', newName: 'input-disk' }),
        /already exists/,
      ],
      [
        () => sb.engine.createDiskImage({ pool: POOL, name: 'img-x', sourcePath: '/etc/passwd' }),
        /not under an allowed root/,
      ],
      [
        () =>
          sb.engine.createDiskFromImage({
            pool: POOL,
            name: 'fromx',
            imagePath: '/var/lib/libvirt/nope/nope',
          }),
        /image file .* not found/,
      ],
      [
        () => sb.engine.createCloudInitImage({ pool: POOL, name: 'seedx', userData: '' }),
        /user data is required/,
      ],
      [
        () => sb.engine.resizeDisk({ pool: POOL, name: 'input-disk', capacity: 32 * MiB }),
        /shrinking loses data/,
      ],
    ];
    for (const [call, msg] of bad) await expect(call()).rejects.toThrow(msg);
    expect(await tree(sb.poolPath(POOL))).toEqual(before);
    await sb.engine.deleteDisk({ pool: POOL, name: 'input-disk' });
  });

  it('a failing qemu-img surfaces as CommandError with its stderr, and nothing is left', async () => {
    // 7 PiB raw: qemu-img refuses the size
    await expect(
      sb.engine.createDisk({ pool: POOL, name: 'huge-disk', capacity: '7P', format: 'raw' }),
    ).rejects.toMatchObject({
      reason: 'CommandFailed',
      message: expect.stringMatching(/qemu-img failed \(exit 1\): .+/),
    });
    expect((await tree(sb.poolPath(POOL))).filter((e) => !/^\.ks-(locks|journal)$/.test(e))).toEqual([
      'content',
    ]);
  });
});

describe('in-use checks', () => {
  it('a file a domain uses (defined, then running) is never deleted; refusals say why', async () => {
    const d = await sb.engine.createDisk({ pool: POOL, name: 'dom-disk', capacity: 64 * MiB });
    await writePattern(d.current, 0x77, 0);
    await sb.engine.createSnapshot({ pool: POOL, name: 'dom-disk', snapshot: 'dmid' });
    await writePattern((await sb.engine.diskInfo({ pool: POOL, name: 'dom-disk' })).current, 0x78, MiB);
    await sb.engine.createSnapshot({ pool: POOL, name: 'dom-disk', snapshot: 'dsnap' });
    const cur = (await sb.engine.diskInfo({ pool: POOL, name: 'dom-disk' })).current;
    const xml = `<domain type='${process.env.KUBESTACK_VIRT_TYPE === 'kvm' ? 'kvm' : 'qemu'}'><name>${domain}</name><memory unit='MiB'>32</memory><vcpu>1</vcpu>
<os><type arch='x86_64'>hvm</type></os><devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/>
<source file='${cur}'/><target dev='vda' bus='virtio'/></disk></devices></domain>`;
    const xmlFile = join(sb.root, 'dom.xml');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(xmlFile, xml);
    await virsh('define', xmlFile);

    await expect(sb.engine.deleteDisk({ pool: POOL, name: 'dom-disk' })).rejects.toThrow(
      new RegExp(`cannot delete disk 'dom-disk': .*dsnap is used by defined domain '${domain}'`),
    );
    await expect(
      sb.engine.revertSnapshot({ pool: POOL, name: 'dom-disk', snapshot: 'dsnap' }),
    ).rejects.toMatchObject({
      reason: 'InUse',
    });
    await expect(
      sb.engine.deleteSnapshot({ pool: POOL, name: 'dom-disk', snapshot: 'dsnap' }),
    ).rejects.toMatchObject({
      reason: 'InUse',
    });
    // A middle snapshot of a stopped domain's disk merges offline: the domain's file keeps its path.
    await sb.engine.deleteSnapshot({ pool: POOL, name: 'dom-disk', snapshot: 'dmid' });
    expect((await sb.engine.listSnapshots({ pool: POOL, name: 'dom-disk' })).map((s) => s.name)).toEqual([
      'dsnap',
    ]);
    // Online snapshots need libvirt (OnlineSnapshotPort): without it the engine refuses instead of
    // writing under a VM (the anchor's W22).
    await expect(
      sb.engine.createSnapshot({ pool: POOL, name: 'dom-disk', snapshot: 'dsnap2' }),
    ).rejects.toThrow(/must go through libvirt/);
    // Reading is fine
    expect((await sb.engine.diskInfo({ pool: POOL, name: 'dom-disk' })).vm).toBe(domain);

    await virsh('start', domain);
    try {
      await expect(
        sb.engine.cloneDisk({ pool: POOL, name: 'dom-disk', newName: 'dom-clone' }),
      ).rejects.toThrow(/running domain/);
      await expect(
        sb.engine.createInternalSnapshot({ pool: POOL, name: 'dom-disk', snapshot: 'isnap' }),
      ).rejects.toMatchObject({ reason: 'InUse' });
      await expect(
        sb.engine.resizeDisk({ pool: POOL, name: 'dom-disk', capacity: 128 * MiB }),
      ).rejects.toMatchObject({
        reason: 'InUse',
      });
      await expect(sb.engine.stopPool(POOL)).rejects.toMatchObject({ reason: 'InUse' });
    } finally {
      await virsh('destroy', domain).catch(() => undefined);
      await virsh('undefine', domain);
    }
    expect(
      await badPatterns(cur, [
        { pattern: 0x77, offset: 0 },
        { pattern: 0x78, offset: MiB },
      ]),
    ).toEqual([]);
    await sb.engine.deleteDisk({ pool: POOL, name: 'dom-disk' });
  });

  it('never deletes a backing file of another disk, across pools', async () => {
    await sb.engine.createPool({ name: 'kssf-other', type: 'dir', path: sb.poolPath('other') });
    await sb.engine.createDisk({ pool: POOL, name: 'base-disk', capacity: 64 * MiB });
    await sb.engine.cloneDisk({
      pool: POOL,
      name: 'base-disk',
      newName: 'linked-child',
      targetPool: 'kssf-other',
      mode: 'linked',
    });
    // another engine on the same registry (e.g. another process) sees the same references
    const other = new StorageEngine({ stateDir: join(sb.root, 'state') });
    await expect(other.deleteDisk({ pool: POOL, name: 'base-disk' })).rejects.toThrow(
      /is the backing file of .*linked-child/,
    );
    await sb.engine.deleteDisk({ pool: 'kssf-other', name: 'linked-child' });
    await sb.engine.deleteDisk({ pool: POOL, name: 'base-disk' });
    await sb.engine.deletePool('kssf-other');
  });
});
