/**
 * The OCI image (`npm run image`) holds what the agent runs, and nothing needs more than it holds:
 * its filesystem is unpacked (umoci) and each tool the agent calls runs inside it (chroot) —
 * the agent itself, qemu-img, genisoimage for cloud-init seeds, mount with the nfs and glusterfs
 * helpers, a real glusterfs mount of the test bed's volume — and the size goal holds. The
 * cluster-mode test bed has built the image already (cached); a missing archive is built here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testbedEnv } from '../testbed-env.js';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { name: string; version: string };
const archive = `dist/packages/${pkg.name}_${pkg.version}.oci.tar`;
let work = '';
let rootfs = '';
const bound: string[] = [];

const inImage = (cmd: string, args: string[]) =>
  execa('chroot', [rootfs, cmd, ...args], {
    reject: false,
    timeout: 60_000,
    env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
  });

beforeAll(async () => {
  if (!existsSync(archive)) {
    const built = await execa('bash', ['scripts/image'], { reject: false });
    if (built.exitCode !== 0) throw new Error(`npm run image failed: ${built.stderr.slice(-2000)}`);
  }
  work = await mkdtemp(join(tmpdir(), 'ks-image-'));
  await execa('tar', ['-C', work, '-xf', archive, '--one-top-level=oci']);
  await execa('umoci', [
    'raw',
    'unpack',
    '--image',
    `${join(work, 'oci')}:${pkg.version}`,
    join(work, 'rootfs'),
  ]);
  rootfs = join(work, 'rootfs');
  for (const d of ['proc', 'sys', 'dev']) {
    await execa('mount', ['--bind', `/${d}`, join(rootfs, d)]);
    bound.push(join(rootfs, d));
  }
  // a host-network pod sees the host's name resolution
  await cp('/etc/hosts', join(rootfs, 'etc/hosts'));
}, 600_000);

afterAll(async () => {
  await execa('umount', [join(rootfs, 'mnt/ks-gluster')], { reject: false });
  for (const d of bound.reverse()) await execa('umount', [d], { reject: false });
  // never follow a bind mount that failed to come off
  if (work) await execa('rm', ['-rf', '--one-file-system', work], { reject: false });
});

describe('the agent image', () => {
  it('is within the size goal and carries the licenses of what it bundles', async () => {
    const du = await execa('du', ['-sm', '--one-file-system', rootfs]);
    const mb = Number(du.stdout.split(/\s/)[0]);
    process.stdout.write(`{"figure": "image_unpacked_mb", "mb": ${mb}, "goal_mb": 200}\n`);
    expect(mb).toBeLessThanOrEqual(200);
    const licenses = readFileSync(join(rootfs, 'opt/kubestack-agent/THIRD-PARTY-LICENSES'), 'utf8');
    expect(licenses).toContain('@kubernetes/client-node@');
    expect(existsSync(join(rootfs, 'usr/bin/apt'))).toBe(false);
    expect(existsSync(join(rootfs, 'var/lib/dpkg'))).toBe(false);
  });

  it('runs the agent and every host tool it calls', async () => {
    const version = await inImage('/usr/bin/node', [
      '/opt/kubestack-agent/bin/kubestack-agent.js',
      '--version',
    ]);
    expect(version.stdout.trim(), version.stderr).toBe(pkg.version);
    const ops = await inImage('/usr/bin/node', [
      '/opt/kubestack-agent/bin/kubestack-agent.js',
      'ops',
      '--json',
    ]);
    expect((JSON.parse(ops.stdout) as { operations: unknown[] }).operations.length, ops.stderr).toBe(110);
    for (const [tool, args] of [
      ['qemu-img', ['--version']],
      ['genisoimage', ['--version']],
      ['mount', ['--version']],
      ['mount.nfs', ['-V']],
      ['mount.glusterfs', ['-V']],
    ] as const) {
      const r = await inImage(tool, [...args]);
      expect(r.exitCode, `${tool}: ${r.stderr}`).toBe(0);
    }
  });

  it('makes a cloud-init seed and mounts the test bed glusterfs volume from inside', async () => {
    await mkdir(join(rootfs, 'tmp/seed'), { recursive: true });
    const iso = await inImage('genisoimage', [
      '-quiet',
      '-o',
      '/tmp/seed.iso',
      '-V',
      'cidata',
      '-J',
      '-r',
      '/tmp/seed',
    ]);
    expect(iso.exitCode, iso.stderr).toBe(0);
    const volume = testbedEnv().glusterVolume;
    await mkdir(join(rootfs, 'mnt/ks-gluster'), { recursive: true });
    const m = await inImage('mount', ['-t', 'glusterfs', volume, '/mnt/ks-gluster']);
    expect(m.exitCode, m.stderr).toBe(0);
    const mounts = readFileSync('/proc/mounts', 'utf8');
    expect(mounts).toContain(`${join(rootfs, 'mnt/ks-gluster')} fuse.glusterfs`);
  });
});
