/** The kill -9 matrix, group vm-guest: guest-agent operations on the tiny guest. */

import { describeKillMatrix } from './kill-matrix.runner.js';
import { VM_GUEST_MATRIX } from './kill-matrix-vm-guest.entries.js';

describeKillMatrix('vm-guest', VM_GUEST_MATRIX);
