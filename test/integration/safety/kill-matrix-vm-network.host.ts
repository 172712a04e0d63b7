/**
 * Host state and read-backs for the vm-network group of the kill -9 matrix: a small shut-off domain
 * defined directly through libvirt (no boot: every operation of the group works on the definition
 * and the Northbound rows), an OVN switch and an "outside" switch per case, an l3bridge NIC plugged
 * by the real plugNIC handler, and the VM's NB rows read back with ovn-nbctl.
 */

import type { OperationSpec } from '../../../src/executors/types.js';
import { operations as vmOps } from '../../../src/executors/virtual-machine/index.js';
import { createSwitchOp } from '../../../src/executors/virtual-machine-network/create-switch.js';
import { runOp, virsh } from '../e2e/helpers.js';
import { nbctl, nbFind } from '../ovn/fixture.js';
import { testbedEnv } from '../testbed-env.js';
import { type MatrixHost, removeSwitch } from './kill-matrix.entries.js';

export const switchOf = (vm: string) => `${vm}-sw`;
export const outsideOf = (vm: string) => `${vm}-out`;
/** MACs from the name's random suffix: unique per case (the host tap name follows the MAC). */
export const macOf = (vm: string, n: number): string => {
  const hex = vm.slice(-6);
  return `52:54:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}:0${n}`;
};
export const IP1 = '10.214.1.10';
export const IP2 = '10.214.1.11';
export const FIP = '172.31.214.50';

export const vmOp = (name: string): OperationSpec => {
  const o = vmOps.find((x) => x.name === name);
  if (!o) throw new Error(`no operation ${name}`);
  return o;
};

export const runVmOp = (h: MatrixHost, vm: string, op: string, raw: Record<string, unknown>) =>
  runOp(vmOp(op), h.services, vm, raw).then(() => undefined);

function domainXml(vm: string): string {
  return `<domain type='${testbedEnv().virtType}'><name>${vm}</name><memory unit='MiB'>64</memory>
<vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><devices/></domain>`;
}

/** A shut-off VM on its own switch (and the outside switch), with one l3bridge NIC when `nic`. */
export async function prepareVm(h: MatrixHost, vm: string, nic = true): Promise<void> {
  await h.libvirt.domainDefineXMLFlags(domainXml(vm));
  await makeSwitch(h, switchOf(vm), '10.214.1');
  await makeSwitch(h, outsideOf(vm), '172.31.214');
  if (nic) await plugL3(h, vm, 1, IP1);
}

async function makeSwitch(h: MatrixHost, name: string, net: string): Promise<void> {
  await runOp(createSwitchOp, h.services, name, {
    subnet: `${net}.0/24`,
    gateway: `${net}.1`,
    dhcp: `${net}.2`,
  });
}

export const plugL3 = (h: MatrixHost, vm: string, n: number, ip: string) =>
  runVmOp(h, vm, 'plugNIC', {
    type: 'l3bridge',
    source: `source=br-int,ip=${ip},switch=${switchOf(vm)}`,
    mac: macOf(vm, n),
  });

export async function cleanupVm(_h: MatrixHost, vm: string): Promise<void> {
  await virsh('destroy', vm).catch(() => undefined);
  await virsh('undefine', vm, '--nvram').catch(() => undefined);
  for (const r of await vmRows(vm))
    await nbctl('--if-exists', 'destroy', ...r.split(' ')).catch(() => undefined);
  await removeSwitch(switchOf(vm));
  await removeSwitch(outsideOf(vm));
}

/** Every NB row tagged with the VM, as `<table> <uuid>`. */
export async function vmRows(vm: string): Promise<string[]> {
  const out: string[] = [];
  for (const table of ['Logical_Switch_Port', 'Port_Group', 'ACL', 'QoS', 'NAT']) {
    const rows = await nbFind(table, '_uuid', `external_ids:kubestack/vm=${vm}`);
    out.push(...rows.map((r) => `${table} ${r}`));
  }
  return out;
}

/** The VM's rows of one table, as the given column. */
export const rowsOf = (vm: string, table: string, column: string): Promise<string[]> =>
  nbFind(table, column, `external_ids:kubestack/vm=${vm}`);

/** `want` rows of the VM in `table`, else a problem naming what was found. */
export async function expectRows(vm: string, table: string, want: number, what = table): Promise<string[]> {
  const n = (await rowsOf(vm, table, '_uuid')).length;
  return n === want ? [] : [`${n} ${what} rows of ${vm}, expected ${want}`];
}

/** The NIC with `mac` in the VM's persistent definition, and its switch port, both or neither. */
export async function expectNic(vm: string, n: number, present: boolean): Promise<string[]> {
  const mac = macOf(vm, n);
  const inXml = (await virsh('domiflist', vm, '--inactive').catch(() => '')).includes(mac);
  const ports = await nbFind('Logical_Switch_Port', 'name', `external_ids:kubestack/mac="${mac}"`);
  const problems: string[] = [];
  if (inXml !== present) problems.push(`NIC ${mac} ${inXml ? 'in' : 'not in'} the definition`);
  if (ports.length !== (present ? 1 : 0)) problems.push(`${ports.length} switch ports of NIC ${mac}`);
  return problems;
}

/** The floating IP's NAT row and the router leg to the outside switch, both or neither. */
export async function expectFloatingIp(vm: string, present: boolean): Promise<string[]> {
  const nat = await nbFind('NAT', 'external_ip', `external_ip="${FIP}"`, `external_ids:kubestack/vm=${vm}`);
  const leg = await nbFind('Logical_Router_Port', 'name', `name=${switchOf(vm)}-fip-${outsideOf(vm)}`);
  const problems: string[] = [];
  if (nat.length !== (present ? 1 : 0)) problems.push(`${nat.length} NAT rows for ${FIP}`);
  if (leg.length !== (present ? 1 : 0)) problems.push(`${leg.length} floating-IP router legs`);
  return problems;
}
