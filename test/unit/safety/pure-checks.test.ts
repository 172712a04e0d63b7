/**
 * The pure halves of issue 11's fixes: the request-path resolver on a scratch tree (symlinks,
 * device nodes are covered on the test bed), device-file ownership by exact pattern, and host
 * addresses of a subnet.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors.js';
import { isDeviceFileOf } from '../../../src/executors/virtual-machine/device-files.js';
import { hostAddress, parseCidr } from '../../../src/ovn/ip.js';
import { resolveRequestPath } from '../../../src/paths.js';

describe('resolveRequestPath', () => {
  let base: string;
  let roots: string[];
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'hs11-paths-'));
    roots = [join(base, 'root-allowed')];
    await mkdir(join(roots[0] as string, 'dir'), { recursive: true });
    await mkdir(join(base, 'elsewhere'));
    await writeFile(join(roots[0] as string, 'dir', 'disk.qcow2'), 'x');
    await writeFile(join(base, 'elsewhere', 'secret'), 'x');
    await symlink(join(base, 'elsewhere', 'secret'), join(roots[0] as string, 'dir', 'out-link'));
    await symlink(join(roots[0] as string, 'dir', 'disk.qcow2'), join(roots[0] as string, 'dir', 'in-link'));
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  const at = (p: string) => join(roots[0] as string, 'dir', p);

  it('returns the real path of a link that stays inside', async () => {
    await expect(resolveRequestPath(at('in-link'), 'disk', { kind: 'file', roots })).resolves.toBe(
      at('disk.qcow2'),
    );
  });

  it('refuses a link out of the roots, naming the field', async () => {
    const err = await resolveRequestPath(at('out-link'), 'source', { kind: 'file', roots }).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.field).toBe('source');
  });

  it('refuses a directory where a file is asked, and a file where a block device is asked', async () => {
    const dir = await resolveRequestPath(join(roots[0] as string, 'dir'), 'disk', {
      kind: 'file',
      roots,
    }).catch((e) => e);
    expect(dir.message).toMatch(/is a directory, not a regular file/);
    const blk = await resolveRequestPath(at('disk.qcow2'), 'source', { kind: 'block', roots }).catch(
      (e) => e,
    );
    expect(blk.message).toMatch(/is a regular file, not a block device/);
  });

  it('a missing file is NotFound naming the field', async () => {
    const err = await resolveRequestPath(at('none.qcow2'), 'disk', {
      kind: 'file',
      what: 'disk file',
      roots,
    }).catch((e) => e);
    expect(err.reason).toBe('NotFound');
    expect(err.details.field).toBe('disk');
  });
});

describe('isDeviceFileOf', () => {
  it('matches only the VM’s own disk and NIC files', () => {
    expect(isDeviceFileOf('web1', 'web1-disk-vdb.xml')).toBe(true);
    expect(isDeviceFileOf('web1', 'web1-nic-525400123456.xml')).toBe(true);
    expect(isDeviceFileOf('web1', 'web1-nic-525400123456.cfg')).toBe(true);
    expect(isDeviceFileOf('web1', 'web1-2-disk-vda.xml')).toBe(false);
    expect(isDeviceFileOf('web1', 'web1-disk-disk-vda.xml')).toBe(false);
    expect(isDeviceFileOf('web1-2', 'web1-2-disk-vda.xml')).toBe(true);
    expect(isDeviceFileOf('web1', 'web1-notes.txt')).toBe(false);
  });
});

describe('hostAddress', () => {
  const net = parseCidr('10.1.2.0/24', 'subnet');
  it('refuses the network and broadcast address and outside addresses', () => {
    expect(() => hostAddress(net, '10.1.2.0', 'gateway')).toThrow(/network address/);
    expect(() => hostAddress(net, '10.1.2.255', 'gateway')).toThrow(/broadcast address/);
    expect(() => hostAddress(net, '10.1.3.1', 'gateway')).toThrow(/outside/);
    expect(hostAddress(net, '10.1.2.1', 'gateway')).toBe('10.1.2.1');
  });
  it('a /31 has no network or broadcast address', () => {
    expect(hostAddress(parseCidr('10.0.0.0/31', 's'), '10.0.0.0', 'gateway')).toBe('10.0.0.0');
  });
});
