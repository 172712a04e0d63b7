/**
 * The kill -9 matrix, vm-network group: the VirtualMachine networking operations (NICs on an OVN
 * switch, NIC bandwidth, floating IPs, port-group ACLs, per-port QoS). The OVN rows must exist
 * exactly when the operation succeeded, with no duplicate after a resubmit, and the domain's NIC
 * present or absent accordingly (kill-matrix-vm-network.host.ts prepares and reads back).
 */
import { virsh } from '../e2e/helpers.js';
import type { MatrixEntry } from './kill-matrix.entries.js';
import {
  cleanupVm,
  expectFloatingIp,
  expectNic,
  expectRows,
  FIP,
  IP1,
  IP2,
  macOf,
  outsideOf,
  plugL3,
  prepareVm,
  rowsOf,
  runVmOp,
  switchOf,
} from './kill-matrix-vm-network.host.js';

const vmEntry = (e: Omit<MatrixEntry, 'kind' | 'cleanup'>): MatrixEntry => ({
  kind: 'VirtualMachine',
  cleanup: cleanupVm,
  prepare: (h, vm) => prepareVm(h, vm),
  ...e,
});

const acl = (vm: string, operator = 'drop') => ({
  swName: switchOf(vm),
  vmmac: macOf(vm, 1),
  type: 'from',
  rule: 'tcp.dst == 22',
  operator,
  priority: '100',
});
const qos = (vm: string, rate = '1000') => ({
  swName: switchOf(vm),
  type: 'from',
  rule: 'ip',
  rate,
  burst: '100',
});
const fip = (vm: string) => ({
  swName: switchOf(vm),
  outSwName: outsideOf(vm),
  fip: `${FIP}/24`,
  vmmac: macOf(vm, 1),
});

/** The VM's ACL rows with the action each has: `want` actions, in any order, and nothing else. */
async function expectAcls(vm: string, want: string[]): Promise<string[]> {
  const got = (await rowsOf(vm, 'ACL', 'action')).sort();
  return got.join(',') === [...want].sort().join(',') ? [] : [`ACLs [${got}], expected [${want}]`];
}

/** The VM's QoS rows' rates: `want` rows, each at `rate`. */
async function expectQos(vm: string, want: number, rate?: string): Promise<string[]> {
  const bw = await rowsOf(vm, 'QoS', 'bandwidth');
  const problems = bw.length === want ? [] : [`${bw.length} QoS rows, expected ${want}`];
  for (const b of bw)
    if (rate && !b.includes(`rate=${rate}`)) problems.push(`QoS ${b}, expected rate=${rate}`);
  return problems;
}

async function inboundOf(vm: string): Promise<string | undefined> {
  const out = await virsh('domiftune', vm, macOf(vm, 1), '--config').catch((e: Error) => e.message);
  return /inbound\.average\s*:\s*(\d+)/.exec(out)?.[1];
}

export const VM_NETWORK_MATRIX: readonly MatrixEntry[] = [
  vmEntry({
    operation: 'plugNIC',
    typicalMs: 300,
    request: (_h, vm) => ({
      type: 'l3bridge',
      source: `source=br-int,ip=${IP2},switch=${switchOf(vm)}`,
      mac: macOf(vm, 2),
    }),
    orphans: async (_h, vm, ok) => [...(await expectNic(vm, 2, ok)), ...(await expectNic(vm, 1, true))],
  }),
  vmEntry({
    operation: 'unplugNIC',
    typicalMs: 300,
    // with an ACL: the last OVN NIC's unplug removes the port group and its ACLs with the port
    prepare: async (h, vm) => {
      await prepareVm(h, vm);
      await runVmOp(h, vm, 'addACL', acl(vm));
    },
    request: (_h, vm) => ({ type: 'l3bridge', mac: macOf(vm, 1) }),
    orphans: async (_h, vm, ok) => [
      ...(await expectNic(vm, 1, !ok)),
      ...(await expectRows(vm, 'Port_Group', ok ? 0 : 1)),
      ...(await expectAcls(vm, ok ? [] : ['drop'])),
    ],
  }),
  vmEntry({
    operation: 'tuneNICQoS',
    typicalMs: 200,
    request: (_h, vm) => ({ _interface: macOf(vm, 1), inbound: 1000, config: true }),
    orphans: async (_h, vm, ok) => {
      const inbound = await inboundOf(vm);
      return (inbound === '1000') === ok
        ? []
        : [`inbound ${inbound ?? 'unset'} after ${ok ? 'success' : 'failure'}`];
    },
  }),
  vmEntry({
    operation: 'bindFloatingIP',
    typicalMs: 200,
    request: (_h, vm) => fip(vm),
    orphans: (_h, vm, ok) => expectFloatingIp(vm, ok),
  }),
  vmEntry({
    operation: 'unbindFloatingIP',
    typicalMs: 200,
    prepare: async (h, vm) => {
      await prepareVm(h, vm);
      await runVmOp(h, vm, 'bindFloatingIP', fip(vm));
    },
    request: (_h, vm) => ({ swName: switchOf(vm), vmmac: macOf(vm, 1), fip: FIP, vmip: IP1 }),
    orphans: (_h, vm, ok) => expectFloatingIp(vm, !ok),
  }),
  vmEntry({
    operation: 'addACL',
    typicalMs: 150,
    request: (_h, vm) => acl(vm),
    orphans: (_h, vm, ok) => expectAcls(vm, ok ? ['drop'] : []),
  }),
  vmEntry({
    operation: 'modifyACL',
    typicalMs: 150,
    prepare: async (h, vm) => {
      await prepareVm(h, vm);
      await runVmOp(h, vm, 'addACL', acl(vm));
    },
    request: (_h, vm) => acl(vm, 'allow'),
    orphans: (_h, vm, ok) => expectAcls(vm, [ok ? 'allow-related' : 'drop']),
  }),
  vmEntry({
    operation: 'deprecatedACL',
    typicalMs: 150,
    prepare: async (h, vm) => {
      await prepareVm(h, vm);
      await runVmOp(h, vm, 'addACL', acl(vm));
    },
    request: (_h, vm) => {
      const { operator: _, ...rest } = acl(vm);
      return rest;
    },
    orphans: (_h, vm, ok) => expectAcls(vm, ok ? [] : ['drop']),
  }),
  vmEntry({
    operation: 'batchDeprecatedACL',
    typicalMs: 150,
    prepare: async (h, vm) => {
      await prepareVm(h, vm);
      await runVmOp(h, vm, 'addACL', acl(vm));
      await runVmOp(h, vm, 'addACL', { ...acl(vm), type: 'to', rule: 'icmp4', priority: '200' });
    },
    request: () => ({}),
    orphans: (_h, vm, ok) => expectAcls(vm, ok ? [] : ['drop', 'drop']),
  }),
  vmEntry({
    operation: 'setQoS',
    typicalMs: 150,
    prepare: async (h, vm) => {
      await prepareVm(h, vm);
      await plugL3(h, vm, 2, IP2);
    },
    request: (_h, vm) => qos(vm),
    orphans: (_h, vm, ok) => expectQos(vm, ok ? 2 : 0, '1000'),
  }),
  vmEntry({
    operation: 'modifyQoS',
    typicalMs: 150,
    prepare: async (h, vm) => {
      await prepareVm(h, vm);
      await plugL3(h, vm, 2, IP2);
      await runVmOp(h, vm, 'setQoS', qos(vm));
    },
    request: (_h, vm) => qos(vm, '2000'),
    orphans: (_h, vm, ok) => expectQos(vm, 2, ok ? '2000' : '1000'),
  }),
  vmEntry({
    operation: 'unsetQoS',
    typicalMs: 150,
    prepare: async (h, vm) => {
      await prepareVm(h, vm);
      await runVmOp(h, vm, 'setQoS', qos(vm));
    },
    request: (_h, vm) => ({
      swName: switchOf(vm),
      type: 'from',
      rule: 'ip',
      priority: '100',
      vmmac: macOf(vm, 1),
    }),
    orphans: (_h, vm, ok) => expectQos(vm, ok ? 0 : 1),
  }),
];
