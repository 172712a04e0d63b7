/**
 * The `disk` parameter: one or more virt-install `--disk` specs in one string, the later ones
 * introduced by ` --disk ` (the documented continuation):
 *   `/var/lib/libvirt/images/a.qcow2,format=qcow2,target=vda,read_bytes_sec=1024000 --disk /var/lib/libvirt/iso/x.iso,device=cdrom,perms=ro`
 * Each spec: a path (positional, or `path=`), then key=value options.
 */
import { ValidationError } from '../../../errors.js';
import { ALLOWED_ROOTS, confinePath } from '../../../paths.js';
import { checkIoTuneCombination, IOTUNE_KEYS, type IoTune, isIoTuneKey, parseIoTuneValue } from './iotune.js';
import {
  type OptionItem,
  parseEnum,
  rejectExtraPositionals,
  rejectUnknownKeys,
  splitOptions,
} from './options.js';

export const DISK_DEVICES = ['disk', 'cdrom', 'floppy', 'lun'] as const;
export type DiskDevice = (typeof DISK_DEVICES)[number];
export const DISK_FORMATS = ['qcow2', 'raw'] as const;
export type DiskFormat = (typeof DISK_FORMATS)[number];
export const DISK_BUSES = ['virtio', 'ide', 'scsi', 'sata', 'usb'] as const;
export type DiskBus = (typeof DISK_BUSES)[number];
export const DISK_CACHES = ['none', 'writethrough', 'directsync', 'unsafe', 'writeback'] as const;
export type DiskCache = (typeof DISK_CACHES)[number];
/** virt-install's perms: read-only, read-write, shareable. */
export const DISK_PERMS = ['ro', 'rw', 'sh'] as const;
export type DiskPerms = (typeof DISK_PERMS)[number];

/** Target device names: vdX, hdX, sdX (API doc), X one or two letters. */
export const DISK_TARGET = /^(?:vd|hd|sd)[a-z]{1,2}$/;

export interface DiskParam {
  readonly path: string;
  readonly device: DiskDevice;
  readonly format: DiskFormat | undefined;
  readonly bus: DiskBus | undefined;
  readonly target: string | undefined;
  readonly perms: DiskPerms;
  readonly cache: DiskCache | undefined;
  readonly iotune: IoTune;
}

const DISK_KEYS = [
  'path',
  'device',
  'format',
  'bus',
  'target',
  'perms',
  'cache',
  ...Object.keys(IOTUNE_KEYS),
];

/** Splits on the ` --disk ` continuations; returns the raw specs in order. */
export function splitDiskSpecs(field: string, text: string): string[] {
  if (typeof text !== 'string' || text.trim() === '') throw new ValidationError('no disk given', field);
  const specs = text.trim().split(/\s+--disk(?:\s+|=|$)/);
  specs.forEach((spec, i) => {
    if (spec.trim() === '') throw new ValidationError(`disk #${i + 1} is empty`, field);
    if (/\s/.test(spec.trim())) {
      throw new ValidationError(
        `disk #${i + 1} contains whitespace ('${spec.trim()}'); separate disks with ' --disk '`,
        field,
      );
    }
  });
  return specs.map((s) => s.trim());
}

function parseOneDisk(field: string, spec: string, index: number, roots: readonly string[]): DiskParam {
  const what = `disk #${index}`;
  const items: OptionItem[] = splitOptions(field, spec, what);
  rejectUnknownKeys(field, items, DISK_KEYS, what);
  rejectExtraPositionals(field, items, 1, what);
  const positional = items.find((i) => i.key === undefined);
  const byKey = new Map(items.filter((i) => i.key !== undefined).map((i) => [i.key as string, i.value]));
  const pathKey = byKey.get('path');
  if (positional && pathKey) throw new ValidationError(`${what}: path is given twice`, field);
  if (positional && positional.position !== 1) {
    throw new ValidationError(
      `${what}: the path must come first (found '${positional.value}' at item ${positional.position})`,
      field,
    );
  }
  const rawPath = positional?.value ?? pathKey;
  if (rawPath === undefined) throw new ValidationError(`${what}: no path given`, field);
  const path = confinePath(rawPath, field, roots);
  const device = parseEnum(field, `${what}, device`, byKey.get('device') ?? 'disk', DISK_DEVICES);
  const format = byKey.has('format')
    ? parseEnum(field, `${what}, format`, byKey.get('format') as string, DISK_FORMATS)
    : undefined;
  const bus = byKey.has('bus')
    ? parseEnum(field, `${what}, bus`, byKey.get('bus') as string, DISK_BUSES)
    : undefined;
  const target = byKey.get('target');
  if (target !== undefined && !DISK_TARGET.test(target)) {
    throw new ValidationError(`${what}, target must be vdX, hdX or sdX (got '${target}')`, field);
  }
  const perms = parseEnum(
    field,
    `${what}, perms`,
    byKey.get('perms') ?? (device === 'cdrom' ? 'ro' : 'rw'),
    DISK_PERMS,
  );
  if (device === 'cdrom' && perms !== 'ro') {
    throw new ValidationError(`${what}: a cdrom is always read-only (perms=${perms})`, field);
  }
  const cache = byKey.has('cache')
    ? parseEnum(field, `${what}, cache`, byKey.get('cache') as string, DISK_CACHES)
    : undefined;
  const iotune: IoTune = {};
  for (const [key, value] of byKey) {
    if (!isIoTuneKey(key)) continue;
    const [member] = IOTUNE_KEYS[key];
    iotune[member] = parseIoTuneValue(field, key, value, `${what}, ${key}`);
  }
  checkIoTuneCombination(field, iotune, what);
  return { path, device, format, bus, target, perms, cache, iotune };
}

/** Parses the whole `disk` parameter. Targets must not repeat across disks. */
export function parseDisk(
  text: string,
  field = 'disk',
  roots: readonly string[] = ALLOWED_ROOTS,
): DiskParam[] {
  const disks = splitDiskSpecs(field, text).map((spec, i) => parseOneDisk(field, spec, i + 1, roots));
  const targets = new Map<string, number>();
  disks.forEach((d, i) => {
    if (d.target === undefined) return;
    const first = targets.get(d.target);
    if (first !== undefined) {
      throw new ValidationError(`disk #${i + 1} reuses target '${d.target}' of disk #${first}`, field);
    }
    targets.set(d.target, i + 1);
  });
  return disks;
}
