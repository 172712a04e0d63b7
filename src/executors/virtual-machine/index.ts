/**
 * The implemented operations of this kind. Add each operation file's definition here; documented
 * operations not listed answer "not supported on this node yet" (see ../registry.ts).
 */
import type { OperationSpec } from '../types.js';
import { addACL } from './add-acl.js';
import { autoStartVM } from './auto-start-vm.js';
import { batchDeprecatedACL } from './batch-deprecated-acl.js';
import { bindFloatingIP } from './bind-floating-ip.js';
import { changeNumberOfCPU } from './change-number-of-cpu.js';
import { createAndStartVMFromISO } from './create-and-start-vm-from-iso.js';
import { deleteVM } from './delete-vm.js';
import { deprecatedACL } from './deprecated-acl.js';
import { ejectISO } from './eject-iso.js';
import { injectSshKey } from './inject-ssh-key.js';
import { insertISO } from './insert-iso.js';
import { manageISO } from './manage-iso.js';
import { modifyACL } from './modify-acl.js';
import { modifyQoS } from './modify-qos.js';
import { passthroughDevice } from './passthrough-device.js';
import { plugDevice } from './plug-device.js';
import { plugDisk } from './plug-disk.js';
import { plugNIC } from './plug-nic.js';
import { rebootVM } from './reboot-vm.js';
import { redirectUsb } from './redirect-usb.js';
import { resetVM } from './reset-vm.js';
import { resizeMaxRAM } from './resize-max-ram.js';
import { resizeRAM } from './resize-ram.js';
import { resizeVM } from './resize-vm.js';
import { resumeVM } from './resume-vm.js';
import { setBootOrder } from './set-boot-order.js';
import { setGuestPassword } from './set-guest-password.js';
import { setQoS } from './set-qos.js';
import { setVncPassword } from './set-vnc-password.js';
import { startVM } from './start-vm.js';
import { stopVM } from './stop-vm.js';
import { stopVMForce } from './stop-vm-force.js';
import { suspendVM } from './suspend-vm.js';
import { tuneDiskQoS } from './tune-disk-qos.js';
import { tuneNICQoS } from './tune-nic-qos.js';
import { unbindFloatingIP } from './unbind-floating-ip.js';
import { unplugDevice } from './unplug-device.js';
import { unplugDisk } from './unplug-disk.js';
import { unplugNIC } from './unplug-nic.js';
import { unsetQoS } from './unset-qos.js';
import { unsetVncPassword } from './unset-vnc-password.js';
import { updateGraphic } from './update-graphic.js';
import { updateOS } from './update-os.js';

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
  autoStartVM,
  changeNumberOfCPU,
  ejectISO,
  injectSshKey,
  insertISO,
  manageISO,
  passthroughDevice,
  plugDevice,
  redirectUsb,
  resizeMaxRAM,
  resizeRAM,
  setBootOrder,
  setGuestPassword,
  setVncPassword,
  tuneDiskQoS,
  unplugDevice,
  unsetVncPassword,
  updateGraphic,
  updateOS,
  resizeVM,
];
