/**
 * The implemented operations of this kind. Add each operation file's definition here; documented
 * operations not listed answer "not supported on this node yet" (see ../registry.ts).
 */
import type { OperationSpec } from '../types.js';
import { createAndStartVMFromISO } from './create-and-start-vm-from-iso.js';
import { deleteVM } from './delete-vm.js';
import { plugDisk } from './plug-disk.js';
import { rebootVM } from './reboot-vm.js';
import { resetVM } from './reset-vm.js';
import { resizeVM } from './resize-vm.js';
import { resumeVM } from './resume-vm.js';
import { startVM } from './start-vm.js';
import { stopVM } from './stop-vm.js';
import { stopVMForce } from './stop-vm-force.js';
import { suspendVM } from './suspend-vm.js';
import { unplugDisk } from './unplug-disk.js';

export const operations: OperationSpec[] = [
  createAndStartVMFromISO,
  startVM,
  stopVM,
  stopVMForce,
  suspendVM,
  resumeVM,
  rebootVM,
  resetVM,
  plugDisk,
  unplugDisk,
  deleteVM,
  resizeVM,
];
