import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confineRealPath as confinePath } from '../../../src/paths.js';
import { parseCapacity, uniformBytes } from '../../../src/sizes.js';
import { underscoreKeys } from '../../../src/storage/disks.js';
import { assertName } from '../../../src/storage/validate.js';

describe('names', () => {
  it('accepts the SDK rule and refuses anything that could escape a directory', () => {
    for (const ok of ['disk', 'diskhub111', 'a.b-c', '61024b305b5c463b80bceee066077079'])
      expect(assertName(ok, 'n')).toBe(ok);
    for (const bad of [
      '',
      'abc',
      '..',
      '../x',
      '.hidden',
      'a/b',
      'UPPER',
      'with space',
      'x'.repeat(101),
      7,
      undefined,
    ]) {
      expect(() => assertName(bad, 'name')).toThrow(/name: .* is not a valid name/);
    }
  });
  it('never accepts a name containing a slash or starting with a dot (property)', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        try {
          const n = assertName(s, 'n');
          return !n.includes('/') && !n.startsWith('.');
        } catch {
          return true;
        }
      }),
    );
  });
});

describe('capacity', () => {
  it('reads bytes and binary units', () => {
    expect(parseCapacity(10737418240)).toBe(10 * 1024 ** 3);
    expect(parseCapacity('10737418240')).toBe(10 * 1024 ** 3);
    expect(parseCapacity('10G')).toBe(10 * 1024 ** 3);
    expect(parseCapacity('10GB')).toBe(10 * 1024 ** 3);
    expect(parseCapacity('10GiB')).toBe(10 * 1024 ** 3);
    expect(parseCapacity('512m')).toBe(512 * 1024 ** 2);
    expect(parseCapacity('1.5K')).toBe(1536);
  });
  it('refuses what is not a positive size', () => {
    for (const bad of ['', 'ten', '-1', '10X', 0, -5, 1.5, Number.NaN, null]) {
      expect(() => parseCapacity(bad)).toThrow(/capacity/);
    }
  });
  it('renders sizes as the original did', () => {
    expect(uniformBytes(2 * 1024 ** 3)).toBe('2.0 GB');
    expect(uniformBytes(49 * 1024 ** 3 + 1)).toBe('49 GB');
    expect(uniformBytes(512)).toBe('512 B');
  });
});

describe('qemu-img JSON keys', () => {
  it("turns '-' into '_' in keys only, never in values", () => {
    expect(
      underscoreKeys({
        'virtual-size': 1,
        'full-backing-filename': '/var/lib/libvirt/pool-a/disk-b/disk-b',
        'format-specific': { data: { 'refcount-bits': 16 } },
        list: [{ 'a-b': 'c-d' }],
      }),
    ).toEqual({
      virtual_size: 1,
      full_backing_filename: '/var/lib/libvirt/pool-a/disk-b/disk-b',
      format_specific: { data: { refcount_bits: 16 } },
      list: [{ a_b: 'c-d' }],
    });
  });
});

describe('path confinement', () => {
  let root: string;
  let outside: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'ks-unit-root-'));
    outside = await mkdtemp(join(tmpdir(), 'ks-unit-out-'));
    await mkdir(join(root, 'pool'));
    await symlink(outside, join(root, 'escape'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });
  it('keeps paths under the roots, also through symlinks', async () => {
    expect(await confinePath(join(root, 'pool', 'new', 'file'), 'p', [root])).toBe(
      join(root, 'pool', 'new', 'file'),
    );
    await expect(confinePath(join(root, '..', 'x'), 'p', [root])).rejects.toThrow(
      /not under an allowed root/,
    );
    await expect(confinePath(root, 'p', [root])).rejects.toThrow(/not under an allowed root/);
    await expect(confinePath(`${root}-sibling/x`, 'p', [root])).rejects.toThrow(/not under an allowed root/);
    await expect(confinePath(join(root, 'escape', 'x'), 'p', [root])).rejects.toThrow(/symbolic link/);
    await expect(confinePath('relative/path', 'p', [root])).rejects.toThrow(/absolute/);
  });
});
