/**
 * The implemented operations of this kind. Add each operation file's definition here; documented
 * operations not listed answer "not supported on this node yet" (see ../registry.ts).
 */
import type { OperationSpec } from '../types.js';
import { createDiskExternalSnapshot } from './create-disk-external-snapshot.js';
import { deleteDiskExternalSnapshot } from './delete-disk-external-snapshot.js';
import { revertDiskExternalSnapshot } from './revert-disk-external-snapshot.js';

export const operations: OperationSpec[] = [
  createDiskExternalSnapshot,
  revertDiskExternalSnapshot,
  deleteDiskExternalSnapshot,
];
