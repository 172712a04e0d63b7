/**
 * The implemented operations of this kind. Add each operation file's definition here; documented
 * operations not listed answer "not supported on this node yet" (see ../registry.ts).
 */
import type { OperationSpec } from '../types.js';
import { createDisk } from './create-disk.js';
import { deleteDisk } from './delete-disk.js';
import { resizeDisk } from './resize-disk.js';

export const operations: OperationSpec[] = [createDisk, resizeDisk, deleteDisk];
