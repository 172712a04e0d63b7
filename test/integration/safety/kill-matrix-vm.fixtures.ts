/**
 * Host fixtures of the kill -9 matrix's VirtualMachine groups: a small domain defined (and started)
 * directly through libvirt by an entry's prepare — the shape CreateAndStartVMFromISO defines, a
 * pool disk and a CD-ROM, no OS (it sits in the firmware) — and the tiny guest, for the operations
 * only a guest OS carries out (the ACPI power button). Plus read-backs of the domain's definitions.
 */
import { join } from 'node:path';
import { execa } from 'execa';
import { validateParams } from '../../../src/executors/validate.js';
import { CreateAndStartVMFromISO } from '../../../src/executors/virtual-machine/params.gen.js';
import { buildDomainXml, domainSpecFromParams } from '../../../src/libvirt/domain-xml/index.js';
import { DomainXMLFlags } from '../../../src/libvirt/index.js';
import { tinyGuest } from '../../fixtures/e2e/tiny-guest.js';
import { tinyGuestXml, waitConsole } from '../e2e/guest-helpers.js';
import { domstate, env, GiB, removeDomain, vmParams } from '../e2e/helpers.js';
import { diskDir, type MatrixHost, removeDisk } from './kill-matrix.entries.js';

/** The file of the VM's pool disk `<name>` (or of a second disk `<name>-<suffix>`). */
export const vmDisk = (h: MatrixHost, name: string, suffix = ''): string => {
  const disk = suffix ? `${name}-${suffix}` : name;
  return join(diskDir(h, disk), disk);
};

export interface VmShape {
  /** Start it after the define (default true). */
  running?: boolean;
  /** Second pool disks `<name>-<suffix>`, plugged in the definition as vdb, vdc, … */
  extraDisks?: readonly string[];
  /** `spice` for operations that need a SPICE console (redirectUsb). */
  graphics?: 'vnc' | 'spice';
}

/** A small domain as CreateAndStartVMFromISO defines it, defined (and started) directly. */
export async function prepareVm(h: MatrixHost, name: string, shape: VmShape = {}): Promise<void> {
  await h.storage.createDisk({ pool: h.pool, name, capacity: GiB });
  const extra = shape.extraDisks ?? [];
  for (const s of extra) await h.storage.createDisk({ pool: h.pool, name: `${name}-${s}`, capacity: GiB });
  const raw = vmParams(vmDisk(h, name), h.iso);
  const disks = [vmDisk(h, name), ...extra.map((s) => vmDisk(h, name, s))];
  raw.disk = `${disks.map((d) => `${d},format=qcow2`).join(' --disk ')} --disk ${h.iso},device=cdrom,perms=ro`;
  if (shape.graphics === 'spice') raw.graphics = 'spice,listen=127.0.0.1';
  const spec = domainSpecFromParams(validateParams(CreateAndStartVMFromISO, raw), {
    name,
    nodeVirtType: h.services.virtType,
  });
  const dom = await h.libvirt.domainDefineXMLFlags(buildDomainXml(spec), 0);
  if (shape.running !== false) await h.libvirt.domainCreate(dom);
}

export async function removeVm(h: MatrixHost, name: string, extraDisks: readonly string[] = []) {
  await removeDomain(name);
  await removeDisk(h, name);
  for (const s of extraDisks) await removeDisk(h, `${name}-${s}`);
}

export const guestSerial = (h: MatrixHost, name: string): string => join(diskDir(h, name), 'console.log');

/** The tiny guest (a real kernel that acts on ACPI), booted until it says it is ready. */
export async function prepareGuest(h: MatrixHost, name: string): Promise<void> {
  await h.storage.createDisk({ pool: h.pool, name, capacity: GiB });
  const xml = tinyGuestXml(name, await tinyGuest(), {
    root: vmDisk(h, name),
    iso: h.iso,
    serial: guestSerial(h, name),
    bridge: env.testBridge,
  });
  const dom = await h.libvirt.domainDefineXMLFlags(xml, 0);
  await h.libvirt.domainCreate(dom);
  await waitConsole(guestSerial(h, name), 'KSGUEST READY', 1, 120_000);
}

/** The domain's running (`live`) or persistent (`config`) definition; '' when there is none. */
export async function domainXml(name: string, which: 'live' | 'config', h: MatrixHost): Promise<string> {
  try {
    const dom = await h.libvirt.domainLookupByName(name);
    return await h.libvirt.domainGetXMLDesc(dom, which === 'config' ? DomainXMLFlags.INACTIVE : 0);
  } catch {
    return '';
  }
}

/** Waits (bounded) until the domain reaches the state; returns the state it ended in. */
export async function settledState(name: string, want: string, timeoutMs = 5000): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const state = await domstate(name);
    if (state === want || Date.now() > end) return state;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Problems when the domain is not in one of the states (each as virsh domstate prints it). */
export async function expectStateIn(name: string, states: readonly string[]): Promise<string[]> {
  const state = await domstate(name);
  return states.includes(state) ? [] : [`domain ${name} is ${state}, expected ${states.join(' or ')}`];
}

/** True when the two images hold the same guest-visible content. */
export async function sameImage(a: string, b: string): Promise<boolean> {
  return execa('qemu-img', ['compare', '-q', a, b], { reject: false }).then((r) => r.exitCode === 0);
}
