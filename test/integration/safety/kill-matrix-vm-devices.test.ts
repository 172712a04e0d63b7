/** The kill -9 matrix, group vm-devices: VM disks, devices, USB redirection, media (kill-matrix-vm-devices.entries.ts). */

import { describeKillMatrix } from './kill-matrix.runner.js';
import { VM_DEVICES_MATRIX } from './kill-matrix-vm-devices.entries.js';

describeKillMatrix('vm-devices', VM_DEVICES_MATRIX);
