/**
 * What the VirtualMachine groups of the kill -9 matrix share: a small running domain made directly
 * through libvirt (no guest OS: configuration changes need none), named like the object, with its
 * disk in the matrix pool, a CD-ROM, a VNC console, the guest agent channel, 1 of 2 vCPUs and 128
 * of 256 MiB; and the host reads the checks compare (live and persistent XML, libvirt's own views).
 */
import { join } from 'node:path';
import { validateParams } from '../../../src/executors/validate.js';
import { lookupDomain } from '../../../src/executors/virtual-machine/domains.js';
import { CreateAndStartVMFromISO } from '../../../src/executors/virtual-machine/params.gen.js';
import { buildDomainXml, domainSpecFromParams } from '../../../src/libvirt/domain-xml/index.js';
import { type DomainRef, DomainXMLFlags } from '../../../src/libvirt/index.js';
import { env, GiB } from '../e2e/helpers.js';
import type { MatrixHost } from './kill-matrix.entries.js';

/** The VNC password a prepared domain starts with (so the running console can change it live). */
export const START_PASSWORD = 'km-old-1';
export const START_VCPUS = 1;
export const START_MEMORY_KIB = 128 * 1024;
export const MAX_MEMORY_KIB = 256 * 1024;
/** The CD-ROM's target on the machine type the builder picks (q35: SATA). */
export const CDROM_TARGET = 'sda';

export const vmDiskPath = (h: MatrixHost, name: string): string => join(h.poolDir, name, name);

/** The domain's XML for `prepareVm` (also the shape CreateAndStartVMFromISO builds). */
export function matrixDomainXml(h: MatrixHost, name: string, o: { password?: string } = {}): string {
  const pw = o.password === undefined ? '' : `,password=${o.password}`;
  const raw = {
    graphics: `vnc,listen=127.0.0.1${pw}`,
    disk: `${vmDiskPath(h, name)},format=qcow2 --disk ${h.iso},device=cdrom,perms=ro`,
    memory: String(START_MEMORY_KIB / 1024),
    network: `type=bridge,source=${env.testBridge}`,
    os_variant: 'centos7.0',
    vcpus: `${START_VCPUS},maxvcpus=2`,
    noautoconsole: true,
  };
  const spec = domainSpecFromParams(validateParams(CreateAndStartVMFromISO, raw), {
    name,
    nodeVirtType: env.virtType,
  });
  return buildDomainXml({ ...spec, maxMemoryMib: MAX_MEMORY_KIB / 1024 });
}

/** A disk in the matrix pool and a running domain using it, both named `name`. */
export async function prepareVm(h: MatrixHost, name: string, o: { password?: string } = {}): Promise<void> {
  await h.storage.createDisk({ pool: h.pool, name, capacity: GiB, format: 'qcow2' });
  const dom = await h.libvirt.domainDefineXMLFlags(matrixDomainXml(h, name, o), 0);
  await h.libvirt.domainCreate(dom);
}

export const domainOf = (h: MatrixHost, name: string): Promise<DomainRef> => lookupDomain(h.libvirt, name);

export async function liveXml(h: MatrixHost, name: string): Promise<string> {
  return h.libvirt.domainGetXMLDesc(await domainOf(h, name), DomainXMLFlags.SECURE);
}

export async function configXml(h: MatrixHost, name: string): Promise<string> {
  return h.libvirt.domainGetXMLDesc(await domainOf(h, name), DomainXMLFlags.SECURE | DomainXMLFlags.INACTIVE);
}

/** `what` is `want` on the host, else one problem line saying what it is instead. */
export function expectValue(what: string, got: unknown, want: unknown): string[] {
  return got === want ? [] : [`${what} is ${String(got)}, expected ${String(want)}`];
}

/** The first capture of `re` in `xml` (undefined when it does not match). */
export const capture = (xml: string, re: RegExp): string | undefined => re.exec(xml)?.[1];

/** The VNC/SPICE console's type and password of a definition. */
export function graphicsOf(xml: string): { type: string | undefined; passwd: string | undefined } {
  const g = /<graphics\b[^>]*>/.exec(xml)?.[0] ?? '';
  return { type: capture(g, /type='([^']*)'/), passwd: capture(g, /passwd='([^']*)'/) };
}
