/**
 * Shared setup of the libvirt client's integration tests: a client on the test bed's real
 * libvirtd, unique `ks-rpc-…` names, an OS-less domain definition, and cleanup of everything a
 * test created (domains, pools) even when it failed half way.
 */
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { type DomainRef, LibvirtClient, type LibvirtClientOptions } from '../../../src/libvirt/index.js';
import { testbedEnv } from '../testbed-env.js';

export const env = testbedEnv();
export const quietLog = pino({ level: process.env.KS_TEST_LOG ?? 'silent' });

export function uniqueName(what: string): string {
  return `ks-rpc-${what}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

export function connectClient(opts: LibvirtClientOptions = {}): Promise<LibvirtClient> {
  return LibvirtClient.connect({ socketPath: env.libvirtSocket, log: quietLog, ...opts });
}

export interface DomainXmlOptions {
  /** Extra XML inside <devices>. */
  devices?: string;
  memoryMiB?: number;
  vcpus?: number;
  maxVcpus?: number;
}

/** An OS-less domain: firmware only, ACPI on (needed for hot-plug), no disks unless given. */
export function domainXml(name: string, o: DomainXmlOptions = {}): string {
  const vcpu = o.maxVcpus
    ? `<vcpu placement='static' current='${o.vcpus ?? 1}'>${o.maxVcpus}</vcpu>`
    : `<vcpu>${o.vcpus ?? 1}</vcpu>`;
  return `<domain type='${env.virtType}'>
  <name>${name}</name>
  <memory unit='MiB'>${o.memoryMiB ?? 32}</memory>
  ${vcpu}
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <devices>
    <controller type='pci' model='pci-root'/>
    ${o.devices ?? ''}
  </devices>
</domain>`;
}

/** Destroys (if running) and undefines a domain, with its snapshots' metadata; never throws. */
export async function removeDomain(c: LibvirtClient, name: string): Promise<void> {
  let dom: DomainRef;
  try {
    dom = await c.domainLookupByName(name);
  } catch {
    return;
  }
  await c.domainDestroyFlags(dom).catch(() => undefined);
  // 1 managed save | 2 snapshot metadata | 4 nvram
  await c.domainUndefineFlags(dom, 1 | 2 | 4).catch(() => undefined);
}

/** Waits until `pred` holds for something pushed into `list`, or fails after `ms`. */
export async function waitFor<T>(list: T[], pred: (t: T) => boolean, ms = 10_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const hit = list.find(pred);
    if (hit) return hit;
    if (Date.now() - start > ms) throw new Error(`timed out after ${ms} ms waiting for an event`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until `pred()` holds, or fails after `ms`. */
export async function waitUntil(pred: () => boolean, ms = 10_000): Promise<void> {
  const start = Date.now();
  while (!pred()) {
    if (Date.now() - start > ms) throw new Error(`timed out after ${ms} ms waiting for a condition`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
