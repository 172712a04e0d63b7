/**
 * Device elements of the domain XML, shared by `buildDomainXml` and the hot-plug builders
 * (`buildDiskDeviceXml`, `buildInterfaceXml`, `buildCdromXml`) so a plugged device is exactly what a
 * created domain would have had.
 */
import { ValidationError } from '../../errors.js';
import { el, renderXml, type XmlElement } from '../xml/render.js';
import type { GraphicsParam } from './params/graphics.js';
import type { IoTune } from './params/iotune.js';
import type { RedirdevParam } from './params/redirdev.js';
import type { DiskDeviceSpec, InterfaceSpec, ResolvedDiskBus } from './spec.js';

/** `52:54:00:12:34:56` → `fe5400123456`: the host tap name the old daemon used (and scripts grep for). */
export function tapNameForMac(mac: string): string {
  return `fe${mac.replace(/:/g, '').slice(2)}`;
}

function iotuneElement(tune: IoTune | undefined): XmlElement | undefined {
  if (!tune) return undefined;
  // libvirt refuses a total limit next to a read/write one; say which parameter, before it does.
  if (
    tune.totalBytesSec !== undefined &&
    (tune.readBytesSec !== undefined || tune.writeBytesSec !== undefined)
  ) {
    throw new ValidationError('cannot be combined with read_bytes_sec or write_bytes_sec', 'total_bytes_sec');
  }
  if (
    tune.totalIopsSec !== undefined &&
    (tune.readIopsSec !== undefined || tune.writeIopsSec !== undefined)
  ) {
    throw new ValidationError('cannot be combined with read_iops_sec or write_iops_sec', 'total_iops_sec');
  }
  const parts: [string, number | undefined][] = [
    ['total_bytes_sec', tune.totalBytesSec],
    ['read_bytes_sec', tune.readBytesSec],
    ['write_bytes_sec', tune.writeBytesSec],
    ['total_iops_sec', tune.totalIopsSec],
    ['read_iops_sec', tune.readIopsSec],
    ['write_iops_sec', tune.writeIopsSec],
  ];
  const children = parts.filter(([, v]) => v !== undefined).map(([k, v]) => el(k, {}, v as number));
  return children.length === 0 ? undefined : el('iotune', {}, children);
}

export function diskElement(d: DiskDeviceSpec): XmlElement {
  // QEMU emulates read-only IDE/SATA drives only as CD-ROMs.
  if (d.readonly && d.device === 'disk' && (d.bus === 'sata' || d.bus === 'ide')) {
    throw new ValidationError(`a read-only disk cannot be on the ${d.bus} bus (use virtio or scsi)`, 'mode');
  }
  // libvirt refuses shared access to anything but raw images.
  if (d.shareable && d.format !== 'raw') {
    throw new ValidationError(`a shareable disk must be a raw image (got ${d.format})`, 'mode');
  }
  const source =
    d.source === undefined
      ? undefined
      : el('source', d.sourceType === 'block' ? { dev: d.source } : { file: d.source });
  return el('disk', { type: d.sourceType, device: d.device }, [
    el('driver', { name: 'qemu', type: d.format, cache: d.cache }),
    source,
    el('target', { dev: d.target, bus: d.bus }),
    iotuneElement(d.iotune),
    d.bootOrder !== undefined && el('boot', { order: d.bootOrder }),
    d.readonly && el('readonly'),
    d.shareable && el('shareable'),
    d.serial !== undefined && el('serial', {}, d.serial),
  ]);
}

export function interfaceElement(nic: InterfaceSpec): XmlElement {
  const ovs = nic.type !== 'bridge';
  const bandwidth =
    (nic.inbound ?? 0) > 0 || (nic.outbound ?? 0) > 0
      ? el('bandwidth', {}, [
          (nic.inbound ?? 0) > 0 && el('inbound', { average: nic.inbound }),
          (nic.outbound ?? 0) > 0 && el('outbound', { average: nic.outbound }),
        ])
      : undefined;
  return el('interface', { type: 'bridge' }, [
    el('mac', { address: nic.mac }),
    el('source', { bridge: nic.bridge }),
    ovs &&
      el(
        'virtualport',
        { type: 'openvswitch' },
        nic.interfaceId === undefined ? [] : [el('parameters', { interfaceid: nic.interfaceId })],
      ),
    nic.vlan !== undefined && el('vlan', {}, [el('tag', { id: nic.vlan })]),
    bandwidth,
    el('model', { type: nic.model }),
    el('target', { dev: nic.target ?? tapNameForMac(nic.mac) }),
  ]);
}

export function graphicsElements(g: GraphicsParam): XmlElement[] {
  const graphics = el(
    'graphics',
    {
      type: g.type,
      port: g.port ?? -1,
      autoport: g.port === undefined,
      listen: g.listen,
      passwd: g.password,
    },
    [el('listen', { type: 'address', address: g.listen })],
  );
  return [
    graphics,
    el('video', {}, [el('model', { type: g.type === 'spice' ? 'qxl' : 'vga' })]),
    g.type === 'spice' &&
      el('channel', { type: 'spicevmc' }, [el('target', { type: 'virtio', name: 'com.redhat.spice.0' })]),
  ].filter((e): e is XmlElement => Boolean(e));
}

export function redirdevElement(r: RedirdevParam): XmlElement {
  return el(
    'redirdev',
    { bus: r.bus, type: r.type },
    r.type === 'tcp' ? [el('source', { mode: 'connect', host: r.host, service: r.port })] : [],
  );
}

/** Disk XML for attach/detach/update-device. */
export function buildDiskDeviceXml(spec: DiskDeviceSpec): string {
  return renderXml(diskElement(spec));
}

/** NIC XML for attach/detach/update-device (the same element the domain gets). */
export function buildInterfaceXml(spec: InterfaceSpec): string {
  return renderXml(interfaceElement(spec));
}

export interface CdromSpec {
  /** The ISO; absent for an empty tray (eject). */
  readonly source?: string | undefined;
  readonly target: string;
  readonly bus: Extract<ResolvedDiskBus, 'ide' | 'sata' | 'scsi' | 'usb'>;
}

/** CD-ROM XML for insert/eject (update-device) and plug. */
export function buildCdromXml(spec: CdromSpec): string {
  return renderXml(
    diskElement({
      source: spec.source,
      sourceType: 'file',
      device: 'cdrom',
      format: 'raw',
      bus: spec.bus,
      target: spec.target,
      readonly: true,
      shareable: false,
    }),
  );
}

/** Graphics XML for SetVncPassword / UnsetVncPassword / UpdateGraphic (update-device). */
export function buildGraphicsXml(g: GraphicsParam): string {
  const [graphics] = graphicsElements(g);
  return renderXml(graphics as XmlElement);
}

/** A host device by its address: PCI `bus:slot.function` (hex) or USB bus and device numbers. */
export type HostdevSpec =
  | { readonly type: 'pci'; readonly bus: number; readonly slot: number; readonly function: number }
  | { readonly type: 'usb'; readonly bus: number; readonly device: number };

const hex = (v: number, width: number): string => `0x${v.toString(16).padStart(width, '0')}`;

/** Host device XML for attach/detach (PassthroughDevice); PCI devices are managed (bound to vfio by libvirt). */
export function buildHostdevXml(h: HostdevSpec): string {
  const address =
    h.type === 'pci'
      ? el('address', {
          domain: hex(0, 4),
          bus: hex(h.bus, 2),
          slot: hex(h.slot, 2),
          function: hex(h.function, 1),
        })
      : el('address', { bus: h.bus, device: h.device });
  return renderXml(
    el('hostdev', { mode: 'subsystem', type: h.type, managed: h.type === 'pci' ? 'yes' : undefined }, [
      el('source', {}, [address]),
    ]),
  );
}
