/**
 * Every group of the kill -9 matrix, for the coverage check (kill-matrix.coverage.test.ts). A new
 * group's entries are added here as well as run by its own test file.
 */
import { CORE_MATRIX, type MatrixEntry } from './kill-matrix.entries.js';
import { STORAGE_MATRIX } from './kill-matrix-storage.entries.js';
import { STORAGE_CHAIN_MATRIX } from './kill-matrix-storage-chain.entries.js';
import { VM_CONFIG_MATRIX } from './kill-matrix-vm-config.entries.js';
import { VM_DEVICES_MATRIX } from './kill-matrix-vm-devices.entries.js';
import { VM_GUEST_MATRIX } from './kill-matrix-vm-guest.entries.js';
import { VM_POWER_MATRIX } from './kill-matrix-vm-power.entries.js';

export const ALL_MATRIX_ENTRIES: readonly MatrixEntry[] = [
  ...CORE_MATRIX,
  ...VM_POWER_MATRIX,
  ...VM_DEVICES_MATRIX,
  ...VM_CONFIG_MATRIX,
  ...VM_GUEST_MATRIX,
  ...STORAGE_MATRIX,
  ...STORAGE_CHAIN_MATRIX,
];

/**
 * Implemented host-changing operations that have no entry yet. Each is named here on purpose, so
 * an operation that lands without an entry fails the coverage check; the list only shrinks.
 */
export const PENDING_MATRIX_ENTRIES: readonly string[] = [
  // VirtualMachine power, devices and config
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
