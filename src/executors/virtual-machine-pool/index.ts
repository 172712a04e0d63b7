/**
 * The implemented operations of this kind. Add each operation file's definition here; documented
 * operations not listed answer "not supported on this node yet" (see ../registry.ts).
 */
import type { OperationSpec } from '../types.js';
import { autoStartPool } from './auto-start-pool.js';
import { createPool } from './create-pool.js';
import { deletePool } from './delete-pool.js';
import { showPool } from './show-pool.js';
import { startPool } from './start-pool.js';
import { stopPool } from './stop-pool.js';

export const operations: OperationSpec[] = [
  createPool,
  startPool,
  stopPool,
  deletePool,
  autoStartPool,
  showPool,
];
