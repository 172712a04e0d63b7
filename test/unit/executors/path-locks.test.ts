/**
 * Lock names of request paths are taken on the real file: two requests naming one disk file, one
 * through a symlink and one directly, lock the same name and so never run at once.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NamedLocks } from '../../../src/agent/locks.js';
import type { OperationContext } from '../../../src/executors/types.js';
import { plugDisk } from '../../../src/executors/virtual-machine/plug-disk.js';
import { resizeVM } from '../../../src/executors/virtual-machine/resize-vm.js';
import { updateOS } from '../../../src/executors/virtual-machine/update-os.js';
import { lockNames, lockPathOf } from '../../../src/lock-names.js';

const dir = mkdtempSync(join(tmpdir(), 'path-locks-'));
const disk = join(dir, 'pool', 'd1', 'd1');
mkdirSync(join(dir, 'pool', 'd1'), { recursive: true });
writeFileSync(disk, '');
const loose = join(dir, 'loose.img');
writeFileSync(loose, '');
symlinkSync(disk, join(dir, 'disk-link'));
symlinkSync(loose, join(dir, 'loose-link'));
symlinkSync(join(dir, 'pool'), join(dir, 'pool-link'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ctx = { name: 'vm1' } as OperationContext;

describe('lock names of request paths', () => {
  it('a symlink to a disk of the pool layout locks that disk', () => {
    expect(lockNames.diskFile(join(dir, 'disk-link'))).toBe(lockNames.diskFile(disk));
    expect(lockNames.diskFile(join(dir, 'pool-link', 'd1', 'd1'))).toBe('disk:d1');
  });

  it('a symlink to a file outside the layout locks the real file', () => {
    expect(lockNames.diskFile(join(dir, 'loose-link'))).toBe(lockNames.diskFile(loose));
  });

  it('a file still to be made is named through its existing (real) directory', () => {
    expect(lockPathOf(join(dir, 'pool-link', 'new', 'file'))).toBe(join(dir, 'pool', 'new', 'file'));
    expect(lockPathOf('/nonexistent-root-x/a/b')).toBe('/nonexistent-root-x/a/b');
  });

  it('plugDisk, resizeVM and updateOS lock the resolved path', () => {
    const plug = (source: string) => plugDisk.locks?.({ source, target: 'vdb' }, ctx) ?? [];
    expect(plug(join(dir, 'disk-link'))).toEqual(plug(disk));
    const resize = (path: string) => resizeVM.locks?.({ path, size: '1' } as never, ctx) ?? [];
    expect(resize(join(dir, 'loose-link'))).toEqual(resize(loose));
    const os = (source: string) => updateOS.locks?.({ source, target: loose }, ctx) ?? [];
    expect(os(join(dir, 'disk-link'))).toEqual(os(disk));
  });

  it('two plugDisk requests naming one file through a symlink and directly serialize', async () => {
    const locks = new NamedLocks();
    const viaLink = plugDisk.locks?.({ source: join(dir, 'disk-link'), target: 'vdb' }, ctx) ?? [];
    const direct =
      plugDisk.locks?.({ source: disk, target: 'vdc' }, { name: 'vm2' } as OperationContext) ?? [];
    const release = await locks.acquire(viaLink);
    let second = false;
    const waiting = locks.acquire(direct).then((r) => {
      second = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(second).toBe(false);
    release();
    (await waiting)();
    expect(second).toBe(true);
  });
});
