/**
 * Every group of the kill -9 matrix, for the coverage check (kill-matrix.coverage.test.ts). A new
 * group's entries are added here as well as run by its own test file.
 */

import { CORE_MATRIX, type MatrixEntry } from './kill-matrix.entries.js';
import { STORAGE_MATRIX } from './kill-matrix-storage.entries.js';
import { STORAGE_CHAIN_MATRIX } from './kill-matrix-storage-chain.entries.js';

export const ALL_MATRIX_ENTRIES: readonly MatrixEntry[] = [
  ...CORE_MATRIX,
  ...STORAGE_MATRIX,
  ...STORAGE_CHAIN_MATRIX,
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
  // VirtualMachine network
  'plugNIC',
  'unplugNIC',
  'tuneNICQoS',
  'bindFloatingIP',
  'unbindFloatingIP',
  'addACL',
  'modifyACL',
  'deprecatedACL',
  'batchDeprecatedACL',
  'setQoS',
  'modifyQoS',
  'unsetQoS',
  // network objects
  'createBridge',
  'deleteBridge',
  'setBridgeVlan',
  'delBridgeVlan',
  'bindPortVlan',
  'unbindPortVlan',
  'deleteSwitch',
  'modifySwitch',
  'createAddress',
  'deleteAddress',
  'modifyAddress',
];
