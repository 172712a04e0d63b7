/** The kill -9 matrix, core group: disks, pools, the VM create, a switch (kill-matrix.entries.ts). */

import { CORE_MATRIX } from './kill-matrix.entries.js';
import { describeKillMatrix } from './kill-matrix.runner.js';

describeKillMatrix('core', CORE_MATRIX);
