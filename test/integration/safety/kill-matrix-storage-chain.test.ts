/** The kill -9 matrix, storage-chain group: disk images, external snapshot chains, pool state. */

import { describeKillMatrix } from './kill-matrix.runner.js';
import { STORAGE_CHAIN_MATRIX } from './kill-matrix-storage-chain.entries.js';

describeKillMatrix('storage-chain', STORAGE_CHAIN_MATRIX);
