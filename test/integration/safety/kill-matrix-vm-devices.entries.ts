/**
 * The kill -9 matrix, group vm-devices: VirtualMachine disks, device XML files, host devices, USB
 * redirection and CD-ROM media, on a small OS-less domain defined (and started) directly through
 * libvirt. A live removal needs a guest OS to acknowledge it, so the unplug entries take the
 * device out of the definition of a shut-off VM; the plug entries hot-plug into a running VM
 * (QEMU takes a device without the guest) and the definition at once. Each check reads both
 * definitions back: the change is in every one the request named exactly when it succeeded.
 */
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { diskDeviceFile, writeDiskDeviceFile } from '../../../src/executors/virtual-machine/device-files.js';
import { attrOf, deviceElements, diskSource } from '../../../src/libvirt/domain-xml/index.js';
import { buildTestIso } from '../../fixtures/e2e/iso.js';
import type { MatrixEntry, MatrixHost } from './kill-matrix.entries.js';
import { domainXml, prepareVm, removeVm, vmDisk } from './kill-matrix-vm.fixtures.js';

type Where = 'live' | 'config';

/** Problems unless `has(xml)` is `want` in each of the definitions. */
async function expectIn(
  h: MatrixHost,
  name: string,
  where: readonly Where[],
  what: string,
  has: (xml: string) => boolean,
  want: boolean,
): Promise<string[]> {
  const problems: string[] = [];
  for (const w of where) {
    if (has(await domainXml(name, w, h)) !== want) {
      problems.push(`${what} is ${want ? 'missing from' : 'still in'} the ${w} definition`);
    }
  }
  return problems;
}

const names = (file: string) => (xml: string) => xml.includes(`'${file}'`);
const BOTH: readonly Where[] = ['live', 'config'];
const CONFIG: readonly Where[] = ['config'];

/** A second ISO, made once, for the media changes. */
let otherIso: Promise<string> | undefined;
const secondIso = (h: MatrixHost) => {
  otherIso ??= buildTestIso(join(h.root, 'iso-two'), 'vmdevmedia');
  return otherIso;
};
const cdroms = (xml: string) => deviceElements(xml, 'disk').filter((d) => attrOf(d, 'device') === 'cdrom');
/** The media in the CD-ROM drives (undefined: an empty drive). */
const mediaIn = (xml: string) => cdroms(xml).map(diskSource);

/** Filled by prepare: the CD-ROM drive's target and the second ISO, for the sync `request`. */
const media = new Map<string, { drive: string; iso2: string }>();

async function prepareMedia(h: MatrixHost, name: string): Promise<void> {
  await prepareVm(h, name);
  const cdrom = cdroms(await domainXml(name, 'config', h))[0];
  const target = cdrom?.children.find((c) => c.name === 'target');
  media.set(name, { drive: (target && attrOf(target, 'dev')) ?? '', iso2: await secondIso(h) });
}

const mediaOf = (name: string) => media.get(name) ?? { drive: '', iso2: '' };

/** A media change in both definitions of a running VM: `to` exactly on success, else `from`. */
function mediaEntry(
  operation: string,
  request: (h: MatrixHost, name: string) => Record<string, unknown>,
  after: (h: MatrixHost, name: string) => string | undefined,
): MatrixEntry {
  return {
    operation,
    kind: 'VirtualMachine',
    typicalMs: 300,
    prepare: prepareMedia,
    request,
    orphans: async (h, name, ok) => {
      const want = ok ? after(h, name) : h.iso;
      const holds = (xml: string) => {
        const m = mediaIn(xml);
        return m.length === 1 && m[0] === want;
      };
      return expectIn(h, name, BOTH, `the medium ${want ?? '(none)'}`, holds, true);
    },
    cleanup: (h, name) => {
      media.delete(name);
      return removeVm(h, name);
    },
  };
}

const deviceFile = (h: MatrixHost, name: string) => join(h.root, `${name}-device.xml`);
const rawFile = (h: MatrixHost, name: string) => join(h.root, `${name}-dev.img`);
const diskXml = (file: string, format: string, target: string) =>
  `<disk type='file' device='disk'><driver name='qemu' type='${format}'/><source file='${file}'/><target dev='${target}' bus='virtio'/></disk>`;
const hostdev = (xml: string) =>
  /<hostdev[^>]*type='pci'[\s\S]*?bus='0x7f' slot='0x1f' function='0x7'/.test(xml);

export const VM_DEVICES_MATRIX: readonly MatrixEntry[] = [
  {
    operation: 'plugDisk',
    kind: 'VirtualMachine',
    typicalMs: 400,
    prepare: async (h, name) => {
      await prepareVm(h, name);
      await h.storage.createDisk({ pool: h.pool, name: `${name}-plug`, capacity: 1 << 30 });
    },
    request: (h, name) => ({ source: vmDisk(h, name, 'plug'), target: 'vdb', live: true, config: true }),
    orphans: async (h, name, ok) => {
      const problems = await expectIn(h, name, BOTH, 'the plugged disk', names(vmDisk(h, name, 'plug')), ok);
      if (existsSync(diskDeviceFile(name, 'vdb')) !== ok) problems.push(`device file present=${!ok}`);
      return problems;
    },
    cleanup: async (h, name) => {
      await removeVm(h, name, ['plug']);
      await rm(diskDeviceFile(name, 'vdb'), { force: true });
    },
  },
  {
    operation: 'unplugDisk',
    kind: 'VirtualMachine',
    typicalMs: 300,
    prepare: async (h, name) => {
      await prepareVm(h, name, { running: false, extraDisks: ['data'] });
      await writeDiskDeviceFile(name, 'vdb', diskXml(vmDisk(h, name, 'data'), 'qcow2', 'vdb'));
    },
    request: () => ({ target: 'vdb', config: true }),
    orphans: async (h, name, ok) => {
      const problems = await expectIn(h, name, CONFIG, 'disk vdb', names(vmDisk(h, name, 'data')), !ok);
      if (existsSync(diskDeviceFile(name, 'vdb')) === ok) problems.push(`device file present=${ok}`);
      return problems;
    },
    cleanup: async (h, name) => {
      await removeVm(h, name, ['data']);
      await rm(diskDeviceFile(name, 'vdb'), { force: true });
    },
  },
  {
    operation: 'plugDevice',
    kind: 'VirtualMachine',
    typicalMs: 300,
    prepare: async (h, name) => {
      await prepareVm(h, name);
      await execa('qemu-img', ['create', '-q', '-f', 'raw', rawFile(h, name), '16M']);
      await writeFile(deviceFile(h, name), diskXml(rawFile(h, name), 'raw', 'vdc'));
    },
    request: (h, name) => ({ file: deviceFile(h, name), live: true, config: true }),
    orphans: (h, name, ok) => expectIn(h, name, BOTH, 'the device', names(rawFile(h, name)), ok),
    cleanup: async (h, name) => {
      await removeVm(h, name);
      await rm(rawFile(h, name), { force: true });
      await rm(deviceFile(h, name), { force: true });
    },
  },
  {
    operation: 'unplugDevice',
    kind: 'VirtualMachine',
    typicalMs: 300,
    prepare: async (h, name) => {
      await prepareVm(h, name, { running: false, extraDisks: ['dev'] });
      await writeFile(deviceFile(h, name), diskXml(vmDisk(h, name, 'dev'), 'qcow2', 'vdb'));
    },
    request: (h, name) => ({ file: deviceFile(h, name), config: true }),
    orphans: (h, name, ok) => expectIn(h, name, CONFIG, 'the device', names(vmDisk(h, name, 'dev')), !ok),
    cleanup: async (h, name) => {
      await removeVm(h, name, ['dev']);
      await rm(deviceFile(h, name), { force: true });
    },
  },
  {
    // No spare host device here: the definition takes the <hostdev> (as the e2e test shows).
    operation: 'passthroughDevice',
    kind: 'VirtualMachine',
    typicalMs: 300,
    prepare: (h, name) => prepareVm(h, name, { running: false }),
    request: () => ({ action: 'add', bus_num: '7f', sub_bus_num: '1f', dev_num: '7', dev_type: 'pci' }),
    orphans: (h, name, ok) => expectIn(h, name, CONFIG, 'the host device', hostdev, ok),
    cleanup: (h, name) => removeVm(h, name),
  },
  {
    operation: 'redirectUsb',
    kind: 'VirtualMachine',
    typicalMs: 300,
    prepare: (h, name) => prepareVm(h, name, { running: false, graphics: 'spice' }),
    request: () => ({ action: 'on', number: '2' }),
    orphans: async (h, name, ok) => {
      const count = (await domainXml(name, 'config', h)).match(/<redirdev /g)?.length ?? 0;
      return count === (ok ? 2 : 0)
        ? []
        : [`${count} redirection channels after a ${ok ? 'success' : 'failure'}`];
    },
    cleanup: (h, name) => removeVm(h, name),
  },
  mediaEntry(
    'manageISO',
    (_h, name) => ({
      path: mediaOf(name).drive,
      source: mediaOf(name).iso2,
      eject: false,
      insert: true,
      update: false,
      force: true,
      block: false,
    }),
    (_h, name) => mediaOf(name).iso2,
  ),
  mediaEntry(
    'insertISO',
    (_h, name) => ({ path: mediaOf(name).iso2, insert: true, force: true, block: false }),
    (_h, name) => mediaOf(name).iso2,
  ),
  mediaEntry(
    'ejectISO',
    (h) => ({ path: h.iso, eject: true, force: true, block: false }),
    () => undefined,
  ),
];
