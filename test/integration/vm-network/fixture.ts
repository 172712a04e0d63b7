/**
 * Shared by the VM networking tests: real libvirt + OVN NB + OVS clients of the test bed, an
 * agent-like OperationContext on objects in the Java SDK's shape, OS-less VMs with a disk file and
 * a test ISO (firmware only: enough for NIC hot-plug; a live unplug is never acknowledged without a
 * guest OS), unique `nw14-` names, and the NB rows a VM may leave (to prove it leaves none).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Services } from '../../../src/executors/services.js';
import type { OperationOutcome, OperationSpec } from '../../../src/executors/types.js';
import { validateParams } from '../../../src/executors/validate.js';
import { operations as vmOps } from '../../../src/executors/virtual-machine/index.js';
import { LibvirtClient } from '../../../src/libvirt/index.js';
import { createSwitch, localChassis } from '../../../src/ovn/index.js';
import { buildTestIso } from '../../fixtures/e2e/iso.js';
import { connectNet, context, log, type Net, nbctl, nbFind } from '../ovn/fixture.js';
import { testbedEnv } from '../testbed-env.js';

export const env = testbedEnv();
export const PREFIX = 'nw14-';
export const uniq = (): string => randomBytes(3).toString('hex');

export interface Bed {
  net: Net;
  libvirt: LibvirtClient;
  services: Services;
  root: string;
  iso: string;
  close(): Promise<void>;
}

export async function openBed(): Promise<Bed> {
  const net = await connectNet();
  const libvirt = await LibvirtClient.connect({ socketPath: env.libvirtSocket, log });
  const root = `/var/lib/libvirt/${PREFIX}${uniq()}`;
  await mkdir(root, { recursive: true });
  const iso = await buildTestIso(join(root, 'iso'), 'installer');
  // Storage is not used by these operations; it is left out of Services (cast, never called).
  const services = {
    virtType: env.virtType,
    libvirt,
    ovnNb: net.nb,
    ovs: net.ovs,
    unplugTimeoutMs: 2000,
    vmStopTimeoutMs: 2000,
  } as unknown as Services;
  return {
    net,
    libvirt,
    services,
    root,
    iso,
    async close() {
      await libvirt.close();
      await net.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

export const op = (name: string): OperationSpec => {
  const o = vmOps.find((x) => x.name === name);
  if (!o) throw new Error(`no operation ${name}`);
  return o;
};

/** Runs a VM operation as the agent does: the raw lifecycle value validated, then the handler. */
export async function runVm(
  bed: Bed,
  vm: string,
  name: string,
  raw: Record<string, unknown>,
): Promise<OperationOutcome> {
  const o = op(name);
  const ctx = { ...context(bed.net, vm, 'VirtualMachine'), services: bed.services };
  return o.handler(ctx, validateParams(o, raw) as never);
}

export async function virsh(...args: string[]): Promise<string> {
  return (await execa('virsh', ['-c', 'qemu:///system', ...args])).stdout.trim();
}

/** Creates and starts an OS-less VM with the given `network=` string (createAndStartVMFromISO). */
export async function createVm(bed: Bed, vm: string, network: string): Promise<OperationOutcome> {
  const disk = join(bed.root, `${vm}.qcow2`);
  await execa('qemu-img', ['create', '-q', '-f', 'qcow2', disk, '64M']);
  return runVm(bed, vm, 'createAndStartVMFromISO', {
    metadata: `uuid=${randomUUID()}`,
    graphics: 'vnc,listen=127.0.0.1',
    disk: `${disk} --disk ${bed.iso},device=cdrom,perms=ro`,
    memory: '128',
    network,
    virt_type: env.virtType,
    os_variant: 'centos7.0',
    vcpus: '1',
    noautoconsole: true,
  });
}

export async function removeVm(vm: string): Promise<void> {
  await virsh('destroy', vm).catch(() => undefined);
  await virsh('undefine', vm, '--nvram').catch(() => undefined);
}

export async function makeSwitch(bed: Bed, name: string, subnet: string, gateway: string): Promise<void> {
  await createSwitch(bed.net.nb, {
    name,
    subnet,
    gateway,
    dhcp: gateway,
    chassis: localChassis(bed.net.ovs),
  });
}

export async function dropSwitch(name: string): Promise<void> {
  await nbctl('--if-exists', 'ls-del', name);
  await nbctl('--if-exists', 'lr-del', `${name}-router`);
  for (const d of await nbFind('DHCP_Options', '_uuid', `external_ids:kubestack/switch=${name}`)) {
    await nbctl('dhcp-options-del', d);
  }
}

/** Every NB row tagged with the VM (ports, port group, ACLs, QoS, NAT): must be none after delete. */
export async function vmRows(vm: string): Promise<string[]> {
  const out: string[] = [];
  for (const table of ['Logical_Switch_Port', 'Port_Group', 'ACL', 'QoS', 'NAT']) {
    const rows = await nbFind(table, '_uuid', `external_ids:kubestack/vm=${vm}`);
    out.push(...rows.map((r) => `${table} ${r}`));
  }
  return out;
}

/** The interface of a domain with MAC `mac` as `virsh domiflist` shows it (live or --inactive). */
export async function domiflist(vm: string, inactive = false): Promise<string> {
  return virsh('domiflist', vm, ...(inactive ? ['--inactive'] : []));
}
