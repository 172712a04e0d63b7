/**
 * DomainSpec: everything the domain XML builder needs, fully resolved (targets, buses, formats,
 * MACs, machine type). `domainSpecFromParams` turns the documented raw parameters of
 * CreateAndStartVMFromISO / CreateAndStartVMFromImage into one; tests and other callers may also
 * build a DomainSpec directly (e.g. with direct kernel boot or a file serial console).
 */
import type { OsProfile } from './osinfo.js';
import type { BootDevice } from './params/boot.js';
import type { CputuneParam } from './params/cputune.js';
import type { DiskCache, DiskDevice, DiskFormat } from './params/disk.js';
import type { GraphicsParam } from './params/graphics.js';
import type { IoTune } from './params/iotune.js';
import type { NetworkType, NicModel } from './params/network.js';
import type { RedirdevParam } from './params/redirdev.js';
import type { VcpusParam } from './params/vcpus.js';
import type { VirtType } from './params/virt-type.js';

export type ResolvedDiskBus = 'virtio' | 'ide' | 'scsi' | 'sata' | 'usb';

export interface DiskDeviceSpec {
  /** Absent for an empty CD-ROM tray. */
  readonly source: string | undefined;
  /** `file` for image files, `block` for block devices. */
  readonly sourceType: 'file' | 'block';
  readonly device: DiskDevice;
  readonly format: DiskFormat;
  readonly bus: ResolvedDiskBus;
  readonly target: string;
  readonly readonly: boolean;
  readonly shareable: boolean;
  readonly cache?: DiskCache | undefined;
  readonly iotune?: IoTune | undefined;
  /** Per-device boot order (only when the domain does not use `<os><boot dev>`). */
  readonly bootOrder?: number | undefined;
  readonly serial?: string | undefined;
}

export interface InterfaceSpec {
  readonly type: NetworkType;
  /** The bridge the tap joins (virbr0, an OVS bridge such as br-int, …). */
  readonly bridge: string;
  readonly mac: string;
  readonly model: NicModel;
  /** Host-side tap name; defaults to `fe` + the MAC's last five octets (the old daemon's layout). */
  readonly target?: string | undefined;
  /** OVS external_ids:iface-id, which binds the port to an OVN logical switch port. */
  readonly interfaceId?: string | undefined;
  readonly vlan?: number | undefined;
  /** KiB/s */
  readonly inbound?: number | undefined;
  readonly outbound?: number | undefined;
  /** l3bridge only, not rendered: the OVN logical switch and fixed IP the port is bound to. */
  readonly ovnSwitch?: string | undefined;
  readonly ovnIp?: string | undefined;
}

export type SerialSpec = { readonly type: 'pty' } | { readonly type: 'file'; readonly path: string };

export interface DirectKernelBoot {
  readonly kernel: string;
  readonly initrd?: string | undefined;
  readonly cmdline?: string | undefined;
}

export interface DomainSpec {
  readonly name: string;
  readonly uuid?: string | undefined;
  readonly title?: string | undefined;
  readonly virtType: VirtType;
  readonly arch: 'x86_64';
  readonly os: OsProfile;
  readonly memoryMib: number;
  readonly maxMemoryMib: number;
  readonly vcpus: VcpusParam;
  readonly cputune?: CputuneParam | undefined;
  /** `<os><boot dev>` order; empty when devices carry `bootOrder` or kernel boot is used. */
  readonly boot: readonly BootDevice[];
  readonly disks: readonly DiskDeviceSpec[];
  readonly interfaces: readonly InterfaceSpec[];
  readonly graphics?: GraphicsParam | undefined;
  readonly redirdevs: readonly RedirdevParam[];
  readonly serial: SerialSpec;
  readonly kernelBoot?: DirectKernelBoot | undefined;
  /** Extra empty PCIe root ports on q35, for hot-plugged disks and NICs (q35 cannot hot-plug without). */
  readonly spareRootPorts?: number | undefined;
}
