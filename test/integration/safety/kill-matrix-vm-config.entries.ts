/**
 * The kill -9 matrix, group vm-config: VirtualMachine configuration operations on a small running
 * domain made per case directly through libvirt (kill-matrix-vm.ts). Each check reads the host
 * back (live and persistent XML, libvirt's counters, the disk image) and demands the change is
 * there exactly when the object says Succeeded — after a failure the VM is as prepared.
 */
import { DomainVcpuFlags, paramsToObject } from '../../../src/libvirt/index.js';
import { GiB, removeDomain } from '../e2e/helpers.js';
import { type MatrixEntry, type MatrixHost, removeDisk } from './kill-matrix.entries.js';
import {
  CDROM_TARGET,
  capture,
  configXml,
  domainOf,
  expectValue,
  graphicsOf,
  liveXml,
  MAX_MEMORY_KIB,
  prepareVm,
  START_MEMORY_KIB,
  START_PASSWORD,
  START_VCPUS,
  vmDiskPath,
} from './kill-matrix-vm.js';

const removeVm = async (h: MatrixHost, name: string): Promise<void> => {
  await removeDomain(name);
  await removeDisk(h, name);
};

/** A VM entry: the domain prepared and removed the same way for every operation. */
function vmEntry(
  e: Pick<MatrixEntry, 'operation' | 'typicalMs' | 'request' | 'orphans'> & { password?: boolean },
): MatrixEntry {
  return {
    kind: 'VirtualMachine',
    prepare: (h, name) => prepareVm(h, name, e.password ? { password: START_PASSWORD } : {}),
    cleanup: removeVm,
    ...e,
  };
}

/** The request's value when it succeeded, the prepared one when it failed. */
const want = <T>(ok: boolean, target: T, start: T): T => (ok ? target : start);

const RESIZED = 2 * GiB;
const VCPUS = 2;
const MEMORY_KIB = 196_608;
const NEW_MAX_KIB = 327_680;
const NEW_PASSWORD = 'km-new-2';
const QOS_BYTES = 10_485_760;

async function vcpus(h: MatrixHost, name: string, flags: number): Promise<number> {
  return h.libvirt.domainGetVcpusFlags(await domainOf(h, name), flags);
}

async function blockTune(h: MatrixHost, name: string, live: boolean): Promise<unknown> {
  const tune = await h.libvirt.domainGetBlockIoTune(await domainOf(h, name), 'vda', live ? 1 : 2);
  return paramsToObject(tune)['total_bytes_sec'];
}

/** The per-device boot orders of a definition, as `target:order` in document order. */
function bootOrders(xml: string): string {
  const disks = xml.match(/<disk\b[\s\S]*?<\/disk>/g) ?? [];
  return disks
    .map((d) => `${capture(d, /<target dev='([^']*)'/)}:${capture(d, /<boot order='(\d+)'/) ?? '-'}`)
    .join(',');
}

export const VM_CONFIG_MATRIX: readonly MatrixEntry[] = [
  vmEntry({
    operation: 'resizeVM',
    typicalMs: 200,
    request: (h, name) => ({ path: vmDiskPath(h, name), size: String(RESIZED / 1024) }),
    orphans: async (h, name, ok) => {
      const size = (await h.storage.diskInfo({ pool: h.pool, name })).virtual_size;
      return expectValue(`disk ${name} size`, size, want(ok, RESIZED, GiB));
    },
  }),
  vmEntry({
    operation: 'changeNumberOfCPU',
    typicalMs: 150,
    request: () => ({ count: String(VCPUS), live: true, config: true }),
    orphans: async (h, name, ok) => [
      ...expectValue('live vCPUs', await vcpus(h, name, DomainVcpuFlags.LIVE), want(ok, VCPUS, START_VCPUS)),
      ...expectValue(
        'defined vCPUs',
        await vcpus(h, name, DomainVcpuFlags.CONFIG),
        want(ok, VCPUS, START_VCPUS),
      ),
    ],
  }),
  vmEntry({
    operation: 'resizeRAM',
    typicalMs: 60,
    // Without a guest balloon driver libvirt's live figure never moves: the definition is read back.
    request: () => ({ size: String(MEMORY_KIB), config: true }),
    orphans: async (h, name, ok) => {
      const cur = Number(capture(await configXml(h, name), /<currentMemory unit='KiB'>(\d+)</));
      return expectValue('defined current memory (KiB)', cur, want(ok, MEMORY_KIB, START_MEMORY_KIB));
    },
  }),
  vmEntry({
    operation: 'resizeMaxRAM',
    typicalMs: 60,
    request: () => ({ size: String(NEW_MAX_KIB), config: true }),
    orphans: async (h, name, ok) => {
      const max = Number(capture(await configXml(h, name), /<memory unit='KiB'>(\d+)</));
      return [
        ...expectValue('defined maximum memory (KiB)', max, want(ok, NEW_MAX_KIB, MAX_MEMORY_KIB)),
        ...expectValue(
          'live maximum memory (KiB)',
          Number(capture(await liveXml(h, name), /<memory unit='KiB'>(\d+)</)),
          MAX_MEMORY_KIB,
        ),
      ];
    },
  }),
  vmEntry({
    operation: 'setBootOrder',
    typicalMs: 60,
    request: () => ({ order: `${CDROM_TARGET},vda` }),
    orphans: async (h, name, ok) =>
      expectValue(
        'boot order',
        bootOrders(await configXml(h, name)),
        want(ok, `vda:2,${CDROM_TARGET}:1`, `vda:-,${CDROM_TARGET}:-`),
      ),
  }),
  vmEntry({
    operation: 'setVncPassword',
    typicalMs: 60,
    password: true,
    request: () => ({ password: NEW_PASSWORD }),
    orphans: async (h, name, ok) => {
      const live = graphicsOf(await liveXml(h, name)).passwd;
      const config = graphicsOf(await configXml(h, name)).passwd;
      // The password is a secret the journal does not keep: after a failure either value is
      // consistent (a resubmit sets it), a mix of the two is not.
      if (!ok) return live === config ? [] : [`half a password change: live ${live}, definition ${config}`];
      return [
        ...expectValue('live password', live, NEW_PASSWORD),
        ...expectValue('defined password', config, NEW_PASSWORD),
      ];
    },
  }),
  vmEntry({
    operation: 'unsetVncPassword',
    typicalMs: 60,
    password: true,
    request: () => ({}),
    orphans: async (h, name, ok) => [
      ...expectValue(
        'live password',
        graphicsOf(await liveXml(h, name)).passwd,
        want(ok, undefined, START_PASSWORD),
      ),
      ...expectValue(
        'defined password',
        graphicsOf(await configXml(h, name)).passwd,
        want(ok, undefined, START_PASSWORD),
      ),
    ],
  }),
  vmEntry({
    operation: 'updateGraphic',
    typicalMs: 60,
    request: () => ({ type: 'spice', password: 'km-spice-pass' }),
    orphans: async (h, name, ok) => [
      ...expectValue('defined console', graphicsOf(await configXml(h, name)).type, want(ok, 'spice', 'vnc')),
      ...expectValue('live console', graphicsOf(await liveXml(h, name)).type, 'vnc'),
    ],
  }),
  vmEntry({
    operation: 'autoStartVM',
    typicalMs: 40,
    request: () => ({}),
    orphans: async (h, name, ok) =>
      expectValue('autostart', await h.libvirt.domainGetAutostart(await domainOf(h, name)), ok),
  }),
  vmEntry({
    operation: 'tuneDiskQoS',
    typicalMs: 60,
    request: () => ({ device: 'vda', total_bytes_sec: String(QOS_BYTES) }),
    orphans: async (h, name, ok) => [
      ...expectValue('live total_bytes_sec', Number(await blockTune(h, name, true)), want(ok, QOS_BYTES, 0)),
      ...expectValue(
        'defined total_bytes_sec',
        Number(await blockTune(h, name, false)),
        want(ok, QOS_BYTES, 0),
      ),
    ],
  }),
];
