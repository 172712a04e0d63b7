/**
 * VirtualMachine guest operations (password, ssh key through qemu-guest-agent), reboot and shutdown
 * seen on the guest's console, updateOS and deleteVM, through the real apiserver on one tiny guest
 * booted once for the file (vm-harness.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { waitGone, waitingOf } from '../agent/harness.js';
import { guestText, waitConsole } from './guest-helpers.js';
import { virsh } from './helpers.js';
import { useGuestVm } from './vm-harness.js';

const g = useGuestVm('vc13-gst');

describe('guest operations on a running tiny guest', () => {
  it('setGuestPassword / injectSshKey: the guest shadow file and authorized_keys change', async () => {
    expect(await guestText(g.t.libvirt, g.dom, '/etc/shadow')).toMatch(/^root:\*:/);
    await g.ok('setGuestPassword', { os_type: 'linux', user: 'root', password: 'vc13-secret' });
    expect(await guestText(g.t.libvirt, g.dom, '/etc/shadow')).toMatch(/^root:\$6\$[^:]+:/);
    const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFvc13testkeyvc13testkeyvc13testkeyvc1 vc13@test';
    await g.ok('injectSshKey', { os_type: 'linux', user: 'root', ssh_key: key });
    await g.ok('injectSshKey', { os_type: 'linux', user: 'root', ssh_key: key });
    const keys = await guestText(g.t.libvirt, g.dom, '/root/.ssh/authorized_keys');
    expect(keys.split('\n').filter((l) => l === key)).toHaveLength(1);
  });
  it('deleteVM of a running VM is refused; rebootVM and stopVM really happen in the guest', async () => {
    const refused = await g.op('deleteVM', {});
    expect(waitingOf(refused)?.message).toMatch(/is running: stop it first/);
    expect(await virsh('domstate', g.vm)).toBe('running');
    await g.ok('rebootVM', {});
    await waitConsole(g.serial, 'KSGUEST READY', 2, 120_000);
    const o = await g.op('stopVM', {});
    expect(o.spec?.powerstate).toBe('Shutdown');
    await waitConsole(g.serial, 'KSGUEST POWEROFF', 2, 10_000);
  }, 240_000);
  it('updateOS replaces the system disk of the stopped VM and keeps the old one; deleteVM removes storage', async () => {
    const template = join(g.dir, 'template.qcow2');
    await execa('qemu-img', ['create', '-q', '-f', 'qcow2', template, '32M']);
    await execa('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0x5a 0 64k', template]);
    const o = await g.op('updateOS', { source: g.root, target: template });
    expect(waitingOf(o)?.reason).toBe('Shutdown');
    const old = /kept as '([^']+)'/.exec(waitingOf(o)?.message ?? '')?.[1] as string;
    expect(existsSync(old)).toBe(true);
    await execa('qemu-img', ['compare', '-q', template, g.root]);
    await g.request('deleteVM', { remove_all_storage: true });
    await waitGone(g.admin, 'VirtualMachine', g.vm);
    expect(await virsh('domstate', g.vm).catch(() => 'absent')).toBe('absent');
    expect(existsSync(g.root)).toBe(false);
    expect(existsSync(g.iso1)).toBe(true); // CD-ROM media are not the VM's storage
  }, 120_000);
});
