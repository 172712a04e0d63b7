/** All 110 documented operations (from the generated params.gen.ts files), kind by kind. */
import type { KindName } from '../kinds.js';
import type { OperationDescriptor } from './descriptor.js';
import { documented as vm } from './virtual-machine/params.gen.js';
import { documented as vmd } from './virtual-machine-disk/params.gen.js';
import { documented as vmdi } from './virtual-machine-disk-image/params.gen.js';
import { documented as vmdsn } from './virtual-machine-disk-snapshot/params.gen.js';
import { documented as vmi } from './virtual-machine-image/params.gen.js';
import { documented as vmn } from './virtual-machine-network/params.gen.js';
import { documented as vmp } from './virtual-machine-pool/params.gen.js';
import { documented as vmsn } from './virtual-machine-snapshot/params.gen.js';

export const DOCUMENTED: Readonly<Record<KindName, readonly OperationDescriptor[]>> = {
  VirtualMachine: vm,
  VirtualMachineDisk: vmd,
  VirtualMachineDiskImage: vmdi,
  VirtualMachineDiskSnapshot: vmdsn,
  VirtualMachineImage: vmi,
  VirtualMachineSnapshot: vmsn,
  VirtualMachinePool: vmp,
  VirtualMachineNetwork: vmn,
};

export function allDocumented(): OperationDescriptor[] {
  return Object.values(DOCUMENTED).flat();
}
