/** Every implemented operation, gathered from each kind directory's index.ts. */
import type { OperationSpec } from './types.js';
import { operations as vm } from './virtual-machine/index.js';
import { operations as vmd } from './virtual-machine-disk/index.js';
import { operations as vmdi } from './virtual-machine-disk-image/index.js';
import { operations as vmdsn } from './virtual-machine-disk-snapshot/index.js';
import { operations as vmi } from './virtual-machine-image/index.js';
import { operations as vmn } from './virtual-machine-network/index.js';
import { operations as vmp } from './virtual-machine-pool/index.js';
import { operations as vmsn } from './virtual-machine-snapshot/index.js';

export function implementedOperations(): OperationSpec[] {
  return [...vm, ...vmd, ...vmdi, ...vmdsn, ...vmi, ...vmsn, ...vmp, ...vmn];
}
