/**
 * `buildDomainXml`: a complete libvirt domain definition from a DomainSpec.
 * Always present: `<features><acpi/><apic/></features>` (PCI hot-plug needs ACPI), a serial console,
 * a USB tablet (no mouse drift under VNC), a qemu-guest-agent channel, and on q35 spare PCIe root
 * ports so disks and NICs can be hot-plugged.
 */
import { ValidationError } from '../../errors.js';
import { assertResourceName } from '../../names.js';
import { el, renderXml, type XmlElement } from '../xml/render.js';
import { diskElement, graphicsElements, interfaceElement, redirdevElement } from './devices.js';
import type { DomainSpec } from './spec.js';

/** Default spare root ports on q35: room for the initial devices plus a dozen hot-plugs. */
export const DEFAULT_SPARE_ROOT_PORTS = 12;

function osElement(spec: DomainSpec): XmlElement {
  const k = spec.kernelBoot;
  return el('os', {}, [
    el('type', { arch: spec.arch, machine: spec.os.machine }, 'hvm'),
    k && el('kernel', {}, k.kernel),
    k?.initrd !== undefined && el('initrd', {}, k.initrd),
    k?.cmdline !== undefined && el('cmdline', {}, k.cmdline),
    ...spec.boot.map((dev) => el('boot', { dev })),
  ]);
}

function cputuneElement(spec: DomainSpec): XmlElement | undefined {
  const t = spec.cputune;
  if (!t) return undefined;
  const children = [
    t.shares !== undefined && el('shares', {}, t.shares),
    t.period !== undefined && el('period', {}, t.period),
    t.quota !== undefined && el('quota', {}, t.quota),
    ...t.vcpupins.map((p) => el('vcpupin', { vcpu: p.vcpu, cpuset: p.cpuset ?? spec.vcpus.cpuset })),
    t.emulatorpin !== undefined && el('emulatorpin', { cpuset: t.emulatorpin }),
  ];
  return children.some(Boolean) ? el('cputune', {}, children) : undefined;
}

function serialElements(spec: DomainSpec): XmlElement[] {
  const source = spec.serial.type === 'file' ? [el('source', { path: spec.serial.path })] : [];
  return [
    el('serial', { type: spec.serial.type }, [...source, el('target', { port: 0 })]),
    el('console', { type: spec.serial.type }, [...source, el('target', { type: 'serial', port: 0 })]),
  ];
}

/** Checks what only the combination of settings can tell, then renders the XML. */
export function buildDomainXml(spec: DomainSpec): string {
  assertResourceName(spec.name, 'name');
  if (spec.vcpus.count > spec.vcpus.max) throw new ValidationError('vCPU count exceeds maxvcpus', 'vcpus');
  for (const pin of spec.cputune?.vcpupins ?? []) {
    if (pin.vcpu >= spec.vcpus.max) {
      throw new ValidationError(
        `vcpupin for vCPU ${pin.vcpu}, but the domain has ${spec.vcpus.max} vCPUs`,
        'cputune',
      );
    }
    if (pin.cpuset === undefined && spec.vcpus.cpuset === undefined) {
      throw new ValidationError(
        `vCPU ${pin.vcpu} is pinned without a cpuset: add vcpupinN.cpuset=… or a cpuset= in vcpus`,
        'cputune',
      );
    }
  }
  if (spec.redirdevs.some((r) => r.type === 'spicevmc') && spec.graphics?.type !== 'spice') {
    throw new ValidationError('type=spicevmc needs spice graphics', 'redirdev');
  }
  const targets = new Set<string>();
  for (const d of spec.disks) {
    if (targets.has(d.target)) throw new ValidationError(`disk target '${d.target}' is used twice`, 'disk');
    targets.add(d.target);
    if (d.bus === 'ide' && spec.os.machine === 'q35') {
      throw new ValidationError(`disk '${d.target}': the q35 machine has no IDE bus (use sata)`, 'disk');
    }
  }
  const ideCount = spec.disks.filter((d) => d.bus === 'ide').length;
  if (ideCount > 4)
    throw new ValidationError(`${ideCount} IDE devices, but the IDE bus holds at most 4`, 'disk');
  const macs = new Set<string>();
  for (const nic of spec.interfaces) {
    if (macs.has(nic.mac)) throw new ValidationError(`MAC ${nic.mac} is used twice`, 'network');
    macs.add(nic.mac);
  }

  const q35 = spec.os.machine === 'q35';
  const virtio = spec.os.virtioDisk;
  const kib = (mib: number) => mib * 1024;
  const topology = spec.vcpus.topology;
  // libvirt places every PCIe device (disks, NICs, the xhci, virtio-serial, balloon and rng
  // controllers) on a root port of its own; the spare ones stay free for hot-plug.
  const rootPorts = q35
    ? (spec.spareRootPorts ?? DEFAULT_SPARE_ROOT_PORTS) + spec.disks.length + spec.interfaces.length + 4
    : 0;

  const domain = el('domain', { type: spec.virtType }, [
    el('name', {}, spec.name),
    spec.uuid !== undefined && el('uuid', {}, spec.uuid),
    spec.title !== undefined && el('title', {}, spec.title),
    el('memory', { unit: 'KiB' }, kib(spec.maxMemoryMib)),
    el('currentMemory', { unit: 'KiB' }, kib(spec.memoryMib)),
    el(
      'vcpu',
      {
        placement: 'static',
        cpuset: spec.vcpus.cpuset,
        current: spec.vcpus.count < spec.vcpus.max ? spec.vcpus.count : undefined,
      },
      spec.vcpus.max,
    ),
    cputuneElement(spec),
    osElement(spec),
    el('features', {}, [el('acpi'), el('apic')]),
    topology &&
      el('cpu', {}, [
        el('topology', { sockets: topology.sockets, cores: topology.cores, threads: topology.threads }),
      ]),
    el('clock', { offset: spec.os.family === 'winnt' ? 'localtime' : 'utc' }),
    el('on_poweroff', {}, 'destroy'),
    el('on_reboot', {}, 'restart'),
    el('on_crash', {}, 'destroy'),
    el('devices', {}, [
      ...spec.disks.map(diskElement),
      q35 && el('controller', { type: 'usb', model: 'qemu-xhci' }),
      q35 && el('controller', { type: 'pci', index: 0, model: 'pcie-root' }),
      ...Array.from({ length: rootPorts }, (_, i) =>
        el('controller', { type: 'pci', index: i + 1, model: 'pcie-root-port' }),
      ),
      ...spec.interfaces.map(interfaceElement),
      ...serialElements(spec),
      el('channel', { type: 'unix' }, [el('target', { type: 'virtio', name: 'org.qemu.guest_agent.0' })]),
      el('input', { type: 'tablet', bus: 'usb' }),
      ...(spec.graphics ? graphicsElements(spec.graphics) : []),
      ...spec.redirdevs.map(redirdevElement),
      el('memballoon', { model: virtio ? 'virtio' : 'none' }, virtio ? [el('stats', { period: 5 })] : []),
      virtio && el('rng', { model: 'virtio' }, [el('backend', { model: 'random' }, '/dev/urandom')]),
    ]),
  ]);
  return renderXml(domain);
}
