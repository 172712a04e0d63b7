import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors.js';
import { assertSpecPathsConfined, domainSpecFromParams } from '../../../src/libvirt/domain-xml/index.js';
import { ALLOWED_ROOTS, assertConfinedRealPath, confinePath } from '../../../src/paths.js';
import { expectInvalid } from './helpers.js';

describe('confinePath', () => {
  it('exports the documented roots', () => {
    expect(ALLOWED_ROOTS).toEqual(['/var/lib/libvirt', '/mnt/localfs', '/mnt/usb']);
  });

  it.each([
    ['/var/lib/libvirt/images/a.qcow2', '/var/lib/libvirt/images/a.qcow2'],
    ['/mnt/localfs/pool1/disk1/disk1', '/mnt/localfs/pool1/disk1/disk1'],
    ['/mnt/usb/drive/CentOS_7.iso', '/mnt/usb/drive/CentOS_7.iso'],
    ['/var/lib/libvirt//images/./a.qcow2', '/var/lib/libvirt/images/a.qcow2'],
    ['/var/lib/libvirt/images/x/../a.qcow2', '/var/lib/libvirt/images/a.qcow2'],
    ['/var/lib/libvirt/images/', '/var/lib/libvirt/images'],
  ])('%s → %s', (input, expected) => {
    expect(confinePath(input, 'path')).toBe(expected);
  });

  it.each([
    ['', 'path is empty'],
    ['var/lib/libvirt/images/a.qcow2', 'path must be absolute'],
    ['/var/lib/libvirt', "path '/var/lib/libvirt' is not under"],
    ['/var/lib/libvirtx/images/a.qcow2', 'is not under'],
    ['/var/lib/libvirt/../libvirt2/a.qcow2', "(= '/var/lib/libvirt2/a.qcow2') is not under"],
    ['/etc/passwd', "path '/etc/passwd' is not under /var/lib/libvirt, /mnt/localfs, /mnt/usb"],
    ['/mnt/usb/a', 'path must be 18-1024 characters (got 10'],
    [`/var/lib/libvirt/${'a'.repeat(1100)}`, 'path must be 18-1024 characters (got 1117'],
    ['/var/lib/libvirt/images/a;rm -rf.qcow2', "path segment 'a;rm -rf.qcow2' may only contain"],
    ['/var/lib/libvirt/images/\u00e9.qcow2', 'may only contain letters, digits'],
    ['/var/lib/libvirt/images/a\0b', 'NUL character'],
  ])('rejects %j', (input, message) => {
    expectInvalid(() => confinePath(input, 'path'), 'path', message);
  });
});

describe('assertConfinedRealPath', () => {
  // Real files and symlinks in a temporary tree standing in for the roots.
  const base = mkdtempSync(join(tmpdir(), 'ks-xml-paths-'));
  const root = join(base, 'var-lib-libvirt');
  const outside = join(base, 'outside');
  mkdirSync(join(root, 'images'), { recursive: true });
  mkdirSync(outside, { recursive: true });
  writeFileSync(join(root, 'images', 'real.qcow2'), '');
  writeFileSync(join(outside, 'secret.img'), '');
  symlinkSync(join(outside, 'secret.img'), join(root, 'images', 'escape.qcow2'));
  symlinkSync(outside, join(root, 'images', 'outdir'));
  symlinkSync(join(root, 'images', 'real.qcow2'), join(root, 'images', 'inside-link.qcow2'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));
  const roots = [root];

  it('accepts a real file, a file to be created and a symlink that stays inside', async () => {
    await expect(assertConfinedRealPath(join(root, 'images', 'real.qcow2'), 'disk', roots)).resolves.toBe(
      join(root, 'images', 'real.qcow2'),
    );
    await expect(assertConfinedRealPath(join(root, 'images', 'new', 'n.qcow2'), 'disk', roots)).resolves.toBe(
      join(root, 'images', 'new', 'n.qcow2'),
    );
    await expect(
      assertConfinedRealPath(join(root, 'images', 'inside-link.qcow2'), 'disk', roots),
    ).resolves.toBe(join(root, 'images', 'real.qcow2'));
  });

  it('rejects a symlink that leads out of the roots', async () => {
    const err = await assertConfinedRealPath(join(root, 'images', 'escape.qcow2'), 'disk', roots).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).message).toContain(
      `resolves to '${join(outside, 'secret.img')}', outside`,
    );
  });

  it('rejects a not-yet-existing file under a symlinked directory that leads out', async () => {
    const err = await assertConfinedRealPath(
      join(root, 'images', 'outdir', 'new.qcow2'),
      'disk',
      roots,
    ).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).field).toBe('disk');
  });

  it('still applies the syntactic checks', async () => {
    await expect(assertConfinedRealPath('/etc/passwd', 'disk', roots)).rejects.toThrow(/is not under/);
  });

  it('checks every path of a DomainSpec', async () => {
    const spec = domainSpecFromParams(
      {
        graphics: 'vnc,listen=0.0.0.0',
        disk: `${join(root, 'images', 'inside-link.qcow2')} --disk ${join(root, 'images', 'escape.qcow2')},device=cdrom`,
        memory: '128',
        network: 'type=bridge,source=virbr0',
        os_variant: 'debian11',
        vcpus: '1',
      },
      { name: 'ks-xml-paths', nodeVirtType: 'qemu', roots },
    );
    const err = await assertSpecPathsConfined(spec, roots).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).field).toBe('cdrom');
    const ok = await assertSpecPathsConfined({ ...spec, disks: spec.disks.slice(0, 1) }, roots);
    expect(ok.disks[0]?.source).toBe(join(root, 'images', 'real.qcow2'));
  });
});
