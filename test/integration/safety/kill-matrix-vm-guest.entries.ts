/**
 * The kill -9 matrix, group vm-guest: the guest-agent operations on the tiny guest (a Debian
 * kernel and busybox initramfs with qemu-guest-agent, booted per case under TCG in a few seconds:
 * fast enough to prove the change from inside the guest rather than only a clean refusal). The
 * guest's own files are read back through its agent: the change is there exactly when the object
 * says Succeeded — except the password, a secret the journal does not keep (see below).
 */
import { join } from 'node:path';
import { tinyGuest } from '../../fixtures/e2e/tiny-guest.js';
import { guestText, tinyGuestXml, waitConsole, waitGuestAgent } from '../e2e/guest-helpers.js';
import { env, GiB, removeDomain } from '../e2e/helpers.js';
import { type MatrixEntry, type MatrixHost, removeDisk } from './kill-matrix.entries.js';
import { domainOf, vmDiskPath } from './kill-matrix-vm.js';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKm11killmatrixkillmatrixkillmatrixkm1 km@matrix';
let built: ReturnType<typeof tinyGuest> | undefined;

/** The tiny guest running as domain `name` (its root disk in the matrix pool), agent answering. */
async function prepareGuest(h: MatrixHost, name: string): Promise<void> {
  built ??= tinyGuest();
  await h.storage.createDisk({ pool: h.pool, name, capacity: GiB / 16, format: 'qcow2' });
  const serial = join(h.root, `${name}.console`);
  const xml = tinyGuestXml(name, await built, {
    root: vmDiskPath(h, name),
    iso: h.iso,
    serial,
    bridge: env.testBridge,
  });
  const dom = await h.libvirt.domainDefineXMLFlags(xml, 0);
  await h.libvirt.domainCreate(dom);
  await waitConsole(serial, 'KSGUEST READY', 1, 60_000);
  await waitGuestAgent(h.libvirt, dom, 30_000);
}

const guestFile = async (h: MatrixHost, name: string, path: string): Promise<string> =>
  guestText(h.libvirt, await domainOf(h, name), path).catch(() => '');

function guestEntry(e: Pick<MatrixEntry, 'operation' | 'request' | 'orphans'>): MatrixEntry {
  return {
    kind: 'VirtualMachine',
    typicalMs: 300,
    prepare: prepareGuest,
    cleanup: async (h, name) => {
      await removeDomain(name);
      await removeDisk(h, name);
    },
    ...e,
  };
}

export const VM_GUEST_MATRIX: readonly MatrixEntry[] = [
  guestEntry({
    operation: 'setGuestPassword',
    request: () => ({ os_type: 'linux', user: 'root', password: 'km-guest-secret' }),
    orphans: async (h, name, ok) => {
      const root = (await guestFile(h, name, '/etc/shadow')).split('\n').find((l) => l.startsWith('root:'));
      if (!root) return ['the guest has no root entry in /etc/shadow'];
      // After a failure either hash is consistent (a resubmit sets it); a success must show the new.
      return ok && !/^root:\$6\$[^:]+:/.test(root) ? [`password not set in the guest: ${root}`] : [];
    },
  }),
  guestEntry({
    operation: 'injectSshKey',
    request: () => ({ os_type: 'linux', user: 'root', ssh_key: KEY }),
    orphans: async (h, name, ok) => {
      const keys = (await guestFile(h, name, '/root/.ssh/authorized_keys')).split('\n');
      const n = keys.filter((l) => l.trim() === KEY).length;
      return n === (ok ? 1 : 0) ? [] : [`the key is ${n} times in authorized_keys, expected ${ok ? 1 : 0}`];
    },
  }),
];
