/**
 * The implemented operations of this kind. Add each operation file's definition here; documented
 * operations not listed answer "not supported on this node yet" (see ../registry.ts).
 */
import type { OperationSpec } from '../types.js';
import { bindPortVlanOp } from './bind-port-vlan.js';
import { createAddressOp } from './create-address.js';
import { createBridgeOp } from './create-bridge.js';
import { createSwitchOp } from './create-switch.js';
import { delBridgeVlanOp } from './del-bridge-vlan.js';
import { deleteAddressOp } from './delete-address.js';
import { deleteBridgeOp } from './delete-bridge.js';
import { deleteSwitchOp } from './delete-switch.js';
import { modifyAddressOp } from './modify-address.js';
import { modifySwitchOp } from './modify-switch.js';
import { setBridgeVlanOp } from './set-bridge-vlan.js';
import { unbindPortVlanOp } from './unbind-port-vlan.js';

export const operations: OperationSpec[] = [
  createBridgeOp,
  deleteBridgeOp,
  setBridgeVlanOp,
  delBridgeVlanOp,
  bindPortVlanOp,
  unbindPortVlanOp,
  createSwitchOp,
  deleteSwitchOp,
  modifySwitchOp,
  createAddressOp,
  deleteAddressOp,
  modifyAddressOp,
];
