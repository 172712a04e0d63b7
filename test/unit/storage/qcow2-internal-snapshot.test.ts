/**
 * activeIsInternalSnapshot reads the qcow2 tables directly (the recover hook of
 * revertDiskInternalSnapshot relies on it): true right after a snapshot is taken or applied,
 * false once the image was written since, and for an unknown snapshot. Uses qemu-img/qemu-io only.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeIsInternalSnapshot } from '../../../src/storage/qcow2-header.js';

let dir: string;
let file: string;
const write = (pattern: number, offset: number) =>
  execa('qemu-io', ['-f', 'qcow2', '-c', `write -P ${pattern} ${offset} 64k`, file]);
const snapshot = (flag: '-c' | '-a', name: string) => execa('qemu-img', ['snapshot', flag, name, file]);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ks-qcow2-'));
  file = join(dir, 'disk');
  await execa('qemu-img', ['create', '-f', 'qcow2', file, '1G']);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('activeIsInternalSnapshot', () => {
  it('follows take, write, apply, and several snapshots of various name lengths', async () => {
    await write(0xa1, 0);
    await snapshot('-c', 's1');
    expect(await activeIsInternalSnapshot(file, 's1')).toBe(true);
    await write(0xb2, 0);
    expect(await activeIsInternalSnapshot(file, 's1')).toBe(false);
    await snapshot('-c', 'a-longer-snapshot-name');
    await write(0xc3, 600 * 1024 * 1024);
    expect(await activeIsInternalSnapshot(file, 'a-longer-snapshot-name')).toBe(false);
    await snapshot('-a', 's1');
    expect(await activeIsInternalSnapshot(file, 's1')).toBe(true);
    expect(await activeIsInternalSnapshot(file, 'a-longer-snapshot-name')).toBe(false);
    await snapshot('-a', 'a-longer-snapshot-name');
    expect(await activeIsInternalSnapshot(file, 'a-longer-snapshot-name')).toBe(true);
    expect(await activeIsInternalSnapshot(file, 's1')).toBe(false);
    expect(await activeIsInternalSnapshot(file, 'nosuch')).toBe(false);
  });
});
