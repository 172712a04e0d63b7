/**
 * `domainSpecFromParams`: the documented parameters of CreateAndStartVMFromISO /
 * CreateAndStartVMFromImage (strings in the virt-install mini-languages) → a DomainSpec.
 *
 * Choices made here (the old daemon left them to virt-install):
 * - bus per disk: explicit `bus=`, else from the target prefix (vd → virtio, hd → ide or sata on q35,
 *   sd → sata), else virtio when the OS has virtio drivers, else sata (q35) / ide (pc);
 * - targets assigned in order, first free name per bus prefix; format from `format=` or the file
 *   extension (.qcow2 → qcow2, else raw);
 * - the `cdrom` parameter adds the install ISO as a CD-ROM; boot order is `boot` if given, else
 *   cdrom only for a live CD, else hd then cdrom (a blank disk falls through to the installer);
 * - the NIC model is the one requested (the old daemon forced virtio), else virtio when the OS has
 *   drivers, else e1000; the MAC is random `52:54:00:xx:xx:xx` unless given.
 */
import { ValidationError } from '../../errors.js';
import { assertResourceName } from '../../names.js';
import { ALLOWED_ROOTS } from '../../paths.js';
import type { OsProfile } from './osinfo.js';
import { parseBoot } from './params/boot.js';
import { parseCdrom } from './params/cdrom.js';
import { parseCputune } from './params/cputune.js';
import { type DiskParam, parseDisk } from './params/disk.js';
import { parseGraphics } from './params/graphics.js';
import { parseLivecd } from './params/livecd.js';
import { parseMemory } from './params/memory.js';
import { parseMetadata } from './params/metadata.js';
import { randomMac } from './params/names.js';
import { type NetworkParam, parseNetwork } from './params/network.js';
import { parseBooleanText } from './params/options.js';
import { parseOsVariant } from './params/os-variant.js';
import { parseRedirdev } from './params/redirdev.js';
import { parseVcpus } from './params/vcpus.js';
import { effectiveVirtType, parseVirtType, type VirtType } from './params/virt-type.js';
import type { DiskDeviceSpec, DomainSpec, InterfaceSpec, ResolvedDiskBus } from './spec.js';

/** The documented parameter names of both creation operations. */
export const CREATE_VM_PARAMS = [
  'metadata',
  'livecd',
  'graphics',
  'disk',
  'memory',
  'network',
  'virt_type',
  'boot',
  'redirdev',
  'os_variant',
  'vcpus',
  'cdrom',
  'cputune',
  'noautoconsole',
] as const;
const REQUIRED = ['graphics', 'disk', 'memory', 'network', 'os_variant', 'vcpus'] as const;

export type CreateVmParams = Partial<Record<(typeof CREATE_VM_PARAMS)[number], unknown>>;

export interface DomainSpecOptions {
  /** The VM name (metadata.name of the VirtualMachine). */
  readonly name: string;
  /** The node's virt type (Services.virtType); a request for `qemu` is honoured, `kvm` follows the node. */
  readonly nodeVirtType: VirtType;
  readonly roots?: readonly string[];
  readonly osinfoDir?: string;
  /** For deterministic MACs in tests. */
  readonly random?: () => number;
}

function text(params: CreateVmParams, key: string): string | undefined {
  const v = (params as Record<string, unknown>)[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new ValidationError(`must be a string (got ${Array.isArray(v) ? 'a list' : typeof v})`, key);
}

const PREFIX: Record<ResolvedDiskBus, string> = {
  virtio: 'vd',
  ide: 'hd',
  sata: 'sd',
  scsi: 'sd',
  usb: 'sd',
};

function busForTarget(target: string, os: OsProfile): ResolvedDiskBus {
  if (target.startsWith('vd')) return 'virtio';
  if (target.startsWith('hd')) return os.machine === 'q35' ? 'sata' : 'ide';
  return 'sata';
}

/** The n-th drive letter sequence: a…z, aa…az, … */
function letters(n: number): string {
  return n < 26
    ? String.fromCharCode(97 + n)
    : letters(Math.floor(n / 26) - 1) + String.fromCharCode(97 + (n % 26));
}

function nextFreeTarget(prefix: string, used: Set<string>): string {
  for (let i = 0; ; i++) {
    const t = prefix + letters(i);
    if (!used.has(t)) return t;
  }
}

function resolveDisks(disks: readonly DiskParam[], os: OsProfile): DiskDeviceSpec[] {
  const used = new Set(disks.map((d) => d.target).filter((t): t is string => t !== undefined));
  const fallback: ResolvedDiskBus = os.machine === 'q35' ? 'sata' : 'ide';
  return disks.map((d, i) => {
    // Paths are confined to directories, so a LUN (a block device under /dev) can never be named,
    // and a floppy would need an fdc controller that q35 lacks: both are refused up front.
    if (d.device === 'lun' || d.device === 'floppy') {
      throw new ValidationError(
        `disk #${i + 1}: device=${d.device} is not supported when creating a VM`,
        'disk',
      );
    }
    let bus: ResolvedDiskBus;
    if (d.bus !== undefined) bus = d.bus;
    else if (d.target !== undefined) bus = busForTarget(d.target, os);
    else if (d.device === 'cdrom') bus = fallback;
    else bus = os.virtioDisk ? 'virtio' : fallback;
    if (d.device === 'cdrom' && bus === 'virtio') {
      throw new ValidationError(`cdrom '${d.path}' cannot be on the virtio bus`, 'disk');
    }
    let target = d.target;
    if (target === undefined) {
      target = nextFreeTarget(PREFIX[bus], used);
      used.add(target);
    }
    const format = d.format ?? (d.device !== 'cdrom' && d.path.endsWith('.qcow2') ? 'qcow2' : 'raw');
    if (d.perms === 'ro' && d.device === 'disk' && (bus === 'sata' || bus === 'ide')) {
      throw new ValidationError(
        `disk #${i + 1}: a read-only disk cannot be on the ${bus} bus (use virtio or scsi)`,
        'disk',
      );
    }
    if (d.perms === 'sh' && format !== 'raw') {
      throw new ValidationError(`disk #${i + 1}: perms=sh (shared) needs a raw image, not ${format}`, 'disk');
    }
    return {
      source: d.path,
      sourceType: 'file',
      device: d.device,
      format,
      bus,
      target,
      readonly: d.perms === 'ro',
      shareable: d.perms === 'sh',
      cache: d.cache,
      iotune: d.iotune,
    };
  });
}

/** The NIC of a parsed `network` parameter (also used by PlugNIC). */
export function interfaceSpecFromNetwork(
  net: NetworkParam,
  os: Pick<OsProfile, 'virtioNet'> | undefined,
  random?: () => number,
): InterfaceSpec {
  return {
    type: net.type,
    bridge: net.source,
    mac: net.mac ?? randomMac(random),
    model: net.model ?? (os === undefined || os.virtioNet ? 'virtio' : 'e1000'),
    inbound: net.inbound,
    outbound: net.outbound,
    ovnSwitch: net.switch,
    ovnIp: net.ip,
  };
}

export function domainSpecFromParams(params: CreateVmParams, opts: DomainSpecOptions): DomainSpec {
  for (const key of Object.keys(params)) {
    if (!(CREATE_VM_PARAMS as readonly string[]).includes(key)) {
      throw new ValidationError(`unknown parameter; accepted: ${CREATE_VM_PARAMS.join(', ')}`, key);
    }
  }
  for (const key of REQUIRED) {
    if (text(params, key) === undefined) throw new ValidationError('is required', key);
  }
  if (params.noautoconsole !== undefined && !parseBooleanText('noautoconsole', params.noautoconsole)) {
    throw new ValidationError('must be true (the agent never attaches a console)', 'noautoconsole');
  }
  const name = assertResourceName(opts.name, 'name');
  const roots = opts.roots ?? ALLOWED_ROOTS;
  const os = parseOsVariant(text(params, 'os_variant') as string, 'os_variant', {
    osinfoDir: opts.osinfoDir,
  });
  const memory = parseMemory(text(params, 'memory') as string);
  const vcpus = parseVcpus(text(params, 'vcpus') as string);
  const graphics = parseGraphics(text(params, 'graphics') as string);
  const network = parseNetwork(text(params, 'network') as string);
  const diskParams = parseDisk(text(params, 'disk') as string, 'disk', roots);
  const cdromText = text(params, 'cdrom');
  const cdrom = cdromText === undefined ? undefined : parseCdrom(cdromText, 'cdrom', roots);
  const livecdText = params.livecd;
  const livecd = livecdText === undefined ? false : parseLivecd(livecdText);
  const bootText = text(params, 'boot');
  const metadataText = text(params, 'metadata');
  const virtTypeText = text(params, 'virt_type');
  const cputuneText = text(params, 'cputune');
  const redirdevText = text(params, 'redirdev');

  const allDisks: DiskParam[] = [...diskParams];
  if (cdrom) {
    allDisks.push({
      path: cdrom.path,
      device: 'cdrom',
      format: 'raw',
      bus: undefined,
      target: undefined,
      perms: 'ro',
      cache: undefined,
      iotune: {},
    });
  }
  if (livecd && !allDisks.some((d) => d.device === 'cdrom')) {
    throw new ValidationError('livecd=true needs a CD-ROM (cdrom, or a disk with device=cdrom)', 'livecd');
  }
  const hasCdrom = allDisks.some((d) => d.device === 'cdrom');
  const boot =
    bootText !== undefined
      ? parseBoot(bootText).order
      : livecd
        ? ['cdrom' as const]
        : hasCdrom
          ? ['hd' as const, 'cdrom' as const]
          : ['hd' as const];

  return {
    name,
    uuid: metadataText === undefined ? undefined : parseMetadata(metadataText).uuid,
    virtType: effectiveVirtType(
      virtTypeText === undefined ? undefined : parseVirtType(virtTypeText),
      opts.nodeVirtType,
    ),
    arch: 'x86_64',
    os,
    memoryMib: memory.mib,
    maxMemoryMib: memory.maxMib,
    vcpus,
    cputune: cputuneText === undefined ? undefined : parseCputune(cputuneText),
    boot,
    disks: resolveDisks(allDisks, os),
    interfaces: [interfaceSpecFromNetwork(network, os, opts.random)],
    graphics,
    redirdevs: redirdevText === undefined ? [] : [parseRedirdev(redirdevText)],
    serial: { type: 'pty' },
  };
}
