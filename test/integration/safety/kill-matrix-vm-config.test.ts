/** The kill -9 matrix, group vm-config: VM configuration on a small running domain. */

import { describeKillMatrix } from './kill-matrix.runner.js';
import { VM_CONFIG_MATRIX } from './kill-matrix-vm-config.entries.js';

describeKillMatrix('vm-config', VM_CONFIG_MATRIX);
