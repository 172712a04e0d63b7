/**
 * The kill -9 matrix, group vm-power: VirtualMachine power operations, deleteVM and updateOS.
 * The VM is a small OS-less domain defined (and started) directly through libvirt, except for
 * stopVM and rebootVM: those only a guest OS carries out (the ACPI power button), so they run on
 * the tiny guest (booted per case, a few seconds under TCG) and their checks read the guest's
 * console — the guest powered off, or rebooted exactly once when the request succeeded.
 */
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { consoleCount, waitConsole } from '../e2e/guest-helpers.js';
import { domstate } from '../e2e/helpers.js';
import { diskDir, expectDisk, expectDomain, type MatrixEntry } from './kill-matrix.entries.js';
import {
  expectStateIn,
  guestSerial,
  prepareGuest,
  prepareVm,
  removeVm,
  sameImage,
  settledState,
  vmDisk,
} from './kill-matrix-vm.fixtures.js';

const RUNNING = 'running';
const SHUTOFF = 'shut off';
const PAUSED = 'paused';

/**
 * A power change libvirt makes at once: on success the domain is in `after`; on a failure it is
 * still in `before` (a change left behind is what recovery must have reported as done).
 */
function powerEntry(
  operation: string,
  before: string,
  after: string,
  prepare: MatrixEntry['prepare'],
): MatrixEntry {
  return {
    operation,
    kind: 'VirtualMachine',
    typicalMs: 400,
    prepare,
    request: () => ({}),
    orphans: async (_h, name, ok) => {
      const state = await domstate(name);
      const want = ok ? after : before;
      return state === want ? [] : [`domain ${name} is ${state} after a ${ok ? 'success' : 'failure'}`];
    },
    cleanup: (h, name) => removeVm(h, name),
  };
}

const running: MatrixEntry['prepare'] = (h, name) => prepareVm(h, name);

/** Old disks updateOS keeps (`<disk>.old-<time>`) and copies it was writing (`.new-<time>`). */
async function updateOsFiles(dir: string): Promise<{ old: string[]; fresh: string[] }> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return { old: names.filter((n) => n.includes('.old-')), fresh: names.filter((n) => n.includes('.new-')) };
}

const templateOf = (root: string, name: string) => join(root, `${name}-template.qcow2`);

export const VM_POWER_MATRIX: readonly MatrixEntry[] = [
  powerEntry('startVM', SHUTOFF, RUNNING, (h, name) => prepareVm(h, name, { running: false })),
  powerEntry('stopVMForce', RUNNING, SHUTOFF, running),
  powerEntry('suspendVM', RUNNING, PAUSED, running),
  powerEntry('resumeVM', PAUSED, RUNNING, async (h, name) => {
    await prepareVm(h, name);
    await h.libvirt.domainSuspend(await h.libvirt.domainLookupByName(name));
  }),
  {
    // A hard reset leaves nothing to see but a VM still running.
    operation: 'resetVM',
    kind: 'VirtualMachine',
    typicalMs: 300,
    prepare: running,
    request: () => ({}),
    orphans: (_h, name) => expectStateIn(name, [RUNNING]),
    cleanup: (h, name) => removeVm(h, name),
  },
  {
    // The guest acts on the ACPI request after libvirt accepted it: a failure may still be
    // followed by the power-off, so a failed case may end either way (the resubmit settles it).
    operation: 'stopVM',
    kind: 'VirtualMachine',
    typicalMs: 1500,
    prepare: prepareGuest,
    request: () => ({}),
    orphans: async (h, name, ok) => {
      if (!ok) return expectStateIn(name, [RUNNING, SHUTOFF]);
      const state = await settledState(name, SHUTOFF);
      const problems = state === SHUTOFF ? [] : [`domain ${name} is ${state} after a successful stopVM`];
      const offs = await consoleCount(guestSerial(h, name), 'KSGUEST POWEROFF');
      if (offs !== 1) problems.push(`the guest powered off ${offs} times`);
      return problems;
    },
    cleanup: (h, name) => removeVm(h, name),
  },
  {
    // Rebooted exactly once when the request succeeded, at most once whatever happened.
    operation: 'rebootVM',
    kind: 'VirtualMachine',
    typicalMs: 500,
    prepare: prepareGuest,
    request: () => ({}),
    orphans: async (h, name, ok) => {
      const serial = guestSerial(h, name);
      const problems: string[] = [];
      if (ok) await waitConsole(serial, 'KSGUEST READY', 2, 60_000).catch(() => undefined);
      const boots = await consoleCount(serial, 'KSGUEST READY');
      if (ok ? boots !== 2 : boots > 2) problems.push(`the guest booted ${boots} times`);
      return [...problems, ...(await expectStateIn(name, [RUNNING]))];
    },
    cleanup: (h, name) => removeVm(h, name),
  },
  {
    // vda is the storage the request removes; vdb and the CD-ROM's ISO stay.
    operation: 'deleteVM',
    kind: 'VirtualMachine',
    typicalMs: 400,
    deletesObject: true,
    prepare: (h, name) => prepareVm(h, name, { running: false, extraDisks: ['keep'] }),
    request: () => ({ storage: 'vda' }),
    orphans: async (h, name, ok) => [
      ...(ok ? await expectDomain(name, 'absent') : await expectStateIn(name, [SHUTOFF])),
      ...(await expectDisk(h, name, ok ? 'absent' : 'complete')),
      ...(await expectDisk(h, `${name}-keep`, 'complete')),
      ...(existsSync(h.iso) ? [] : [`the CD-ROM's ISO ${h.iso} is gone`]),
    ],
    cleanup: (h, name) => removeVm(h, name, ['keep']),
  },
  {
    // The system disk becomes a copy of the template; the old one is kept beside it, once.
    operation: 'updateOS',
    kind: 'VirtualMachine',
    typicalMs: 400,
    prepare: async (h, name) => {
      await prepareVm(h, name, { running: false });
      const template = templateOf(h.root, name);
      await execa('qemu-img', ['create', '-q', '-f', 'qcow2', template, '32M']);
      await execa('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0x5a 0 64k', template]);
    },
    request: (h, name) => ({ source: vmDisk(h, name), target: templateOf(h.root, name) }),
    orphans: async (h, name, ok) => {
      const disk = vmDisk(h, name);
      const { old, fresh } = await updateOsFiles(diskDir(h, name));
      const problems = fresh.map((f) => `a copy in progress was left: ${f}`);
      if (!existsSync(disk)) return [...problems, `the VM's disk ${disk} is gone`];
      const replaced = await sameImage(disk, templateOf(h.root, name));
      if (ok && (!replaced || old.length !== 1))
        problems.push(`success, but replaced=${replaced} with ${old.length} old disks kept`);
      if (!ok && (replaced || old.length > 0))
        problems.push(`failure, but replaced=${replaced} with ${old.length} old disks kept`);
      return [...problems, ...(await expectStateIn(name, [SHUTOFF]))];
    },
    cleanup: async (h, name) => {
      await removeVm(h, name);
      await rm(templateOf(h.root, name), { force: true });
    },
  },
];
