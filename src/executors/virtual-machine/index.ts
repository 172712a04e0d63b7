/**
 * The implemented operations of this kind. Add each operation file's definition here; documented
 * operations not listed answer "not supported on this node yet" (see ../registry.ts).
 */
import type { OperationSpec } from '../types.js';
import { addACL } from './add-acl.js';
import { batchDeprecatedACL } from './batch-deprecated-acl.js';
import { bindFloatingIP } from './bind-floating-ip.js';
import { createAndStartVMFromISO } from './create-and-start-vm-from-iso.js';
import { deleteVM } from './delete-vm.js';
import { deprecatedACL } from './deprecated-acl.js';
import { modifyACL } from './modify-acl.js';
import { modifyQoS } from './modify-qos.js';
import { plugDisk } from './plug-disk.js';
import { plugNIC } from './plug-nic.js';
import { rebootVM } from './reboot-vm.js';
import { resetVM } from './reset-vm.js';
import { resizeVM } from './resize-vm.js';
import { resumeVM } from './resume-vm.js';
import { setQoS } from './set-qos.js';
import { startVM } from './start-vm.js';
import { stopVM } from './stop-vm.js';
import { stopVMForce } from './stop-vm-force.js';
import { suspendVM } from './suspend-vm.js';
import { tuneNICQoS } from './tune-nic-qos.js';
import { unbindFloatingIP } from './unbind-floating-ip.js';
import { unplugDisk } from './unplug-disk.js';
import { unplugNIC } from './unplug-nic.js';
import { unsetQoS } from './unset-qos.js';

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
  plugNIC,
  unplugNIC,
  tuneNICQoS,
  bindFloatingIP,
  unbindFloatingIP,
  addACL,
  modifyACL,
  deprecatedACL,
  batchDeprecatedACL,
  setQoS,
  modifyQoS,
  unsetQoS,
  resizeVM,
];
