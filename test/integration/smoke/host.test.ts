/**
 * Smoke: each real part of the test bed is live. These use the tools' own CLIs on purpose (tests may;
 * product code may not): a domain on libvirtd, a transaction on the OVN NB DB, a glusterfs FUSE
 * mount, qemu-img in a pool directory.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { testbedEnv } from '../testbed-env.js';

const env = testbedEnv();
const tag = `smoke${process.pid}`;

describe('test bed smoke', () => {
  it('defines, starts and destroys a throwaway domain on libvirtd', async () => {
    const dir = await mkdtemp('/var/lib/libvirt/images/ks-smoke-');
    const name = `ks-smoke-${tag}`;
    const xml = `<domain type='${env.virtType}'><name>${name}</name><memory unit='MiB'>32</memory>
      <vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><features><acpi/></features>
      <devices><serial type='file'><source path='${dir}/console.log'/></serial></devices></domain>`;
    await writeFile(`${dir}/domain.xml`, xml);
    const virsh = (...args: string[]) => execa('virsh', ['-c', 'qemu:///system', ...args]);
    try {
      await virsh('define', `${dir}/domain.xml`);
      await virsh('start', name);
      expect((await virsh('domstate', name)).stdout.trim()).toBe('running');
      await virsh('destroy', name);
      expect((await virsh('domstate', name)).stdout.trim()).toBe('shut off');
    } finally {
      await virsh('destroy', name).catch(() => undefined);
      await virsh('undefine', name).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('runs a transaction on the OVN northbound DB', async () => {
    const nbctl = (...args: string[]) => execa('ovn-nbctl', [`--db=${env.ovnNb}`, ...args]);
    const ls = `ks-smoke-${tag}`;
    try {
      await nbctl('ls-add', ls, '--', 'set', 'logical_switch', ls, 'external_ids:owner=smoke');
      expect(
        (await nbctl('--bare', '--columns=external_ids', 'find', 'logical_switch', `name=${ls}`)).stdout,
      ).toContain('owner=smoke');
    } finally {
      await nbctl('--if-exists', 'ls-del', ls);
    }
  });

  it('mounts the glusterfs volume over FUSE and writes a file', async () => {
    const mnt = await mkdtemp('/mnt/localfs/ks-smoke-gluster-');
    try {
      await execa('mount', ['-t', 'glusterfs', env.glusterVolume, mnt]);
      await writeFile(`${mnt}/${tag}`, 'hello');
      const { stdout } = await execa('cat', [`${mnt}/${tag}`]);
      expect(stdout).toBe('hello');
      await rm(`${mnt}/${tag}`);
    } finally {
      await execa('umount', [mnt]).catch(() => undefined);
      await rm(mnt, { recursive: true, force: true });
    }
  });

  it('creates and inspects a qcow2 image in a pool directory with qemu-img', async () => {
    const pool = await mkdtemp('/var/lib/libvirt/ks-smoke-pool-');
    try {
      await execa('qemu-img', ['create', '-f', 'qcow2', `${pool}/disk.qcow2`, '64M']);
      const info = JSON.parse(
        (await execa('qemu-img', ['info', '--output=json', `${pool}/disk.qcow2`])).stdout,
      ) as {
        format: string;
        'virtual-size': number;
      };
      expect(info.format).toBe('qcow2');
      expect(info['virtual-size']).toBe(64 * 1024 * 1024);
    } finally {
      await rm(pool, { recursive: true, force: true });
    }
  });
});
