/** The kill -9 matrix, group vm-power: VM power operations, deleteVM, updateOS (kill-matrix-vm-power.entries.ts). */

import { describeKillMatrix } from './kill-matrix.runner.js';
import { VM_POWER_MATRIX } from './kill-matrix-vm-power.entries.js';

describeKillMatrix('vm-power', VM_POWER_MATRIX);
