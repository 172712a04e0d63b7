/**
 * Every group of the kill -9 matrix, for the coverage check (kill-matrix.coverage.test.ts). A new
 * group's entries are added here as well as run by its own test file.
 */

import { CORE_MATRIX, type MatrixEntry } from './kill-matrix.entries.js';
import { NETWORK_OBJECTS_MATRIX } from './kill-matrix-network-objects.entries.js';
import { VM_NETWORK_MATRIX } from './kill-matrix-vm-network.entries.js';

export const ALL_MATRIX_ENTRIES: readonly MatrixEntry[] = [
  ...CORE_MATRIX,
  ...NETWORK_OBJECTS_MATRIX,
  ...VM_NETWORK_MATRIX,
];

/**
 * Implemented host-changing operations that have no entry yet. Each is named here on purpose, so
 * an operation that lands without an entry fails the coverage check; the list only shrinks.
 */
export const PENDING_MATRIX_ENTRIES: readonly string[] = [
  // VirtualMachine power, devices and config
  'startVM',
  'stopVM',
  'stopVMForce',
  'suspendVM',
  'resumeVM',
  'resetVM',
  'rebootVM',
  'deleteVM',
  'plugDisk',
  'unplugDisk',
  'plugDevice',
  'unplugDevice',
  'passthroughDevice',
  'redirectUsb',
  'manageISO',
  'insertISO',
  'ejectISO',
  'updateOS',
  'resizeVM',
  'changeNumberOfCPU',
  'resizeRAM',
  'resizeMaxRAM',
  'setBootOrder',
  'setVncPassword',
  'unsetVncPassword',
  'updateGraphic',
  'autoStartVM',
  'tuneDiskQoS',
  'setGuestPassword',
  'injectSshKey',
  // storage
  'createDiskFromDiskImage',
  'cloneDisk',
  'createDiskInternalSnapshot',
  'revertDiskInternalSnapshot',
  'deleteDiskInternalSnapshot',
  'createCloudInitUserDataImage',
  'deleteCloudInitUserDataImage',
  'createDiskImageFromDisk',
  'createDiskImage',
  'deleteDiskImage',
  'createDiskExternalSnapshot',
  'revertDiskExternalSnapshot',
  'deleteDiskExternalSnapshot',
  'autoStartPool',
  'startPool',
  'stopPool',
];
