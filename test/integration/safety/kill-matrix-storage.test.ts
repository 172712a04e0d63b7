/** The kill -9 matrix, storage group: disks from images, clones, internal snapshots, seeds. */

import { describeKillMatrix } from './kill-matrix.runner.js';
import { STORAGE_MATRIX } from './kill-matrix-storage.entries.js';

describeKillMatrix('storage', STORAGE_MATRIX);
