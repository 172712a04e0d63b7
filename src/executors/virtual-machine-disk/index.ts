/**
 * The implemented operations of this kind. Add each operation file's definition here; documented
 * operations not listed answer "not supported on this node yet" (see ../registry.ts).
 */
import type { OperationSpec } from '../types.js';
import { cloneDisk } from './clone-disk.js';
import { createCloudInitUserDataImage } from './create-cloud-init-user-data-image.js';
import { createDisk } from './create-disk.js';
import { createDiskFromDiskImage } from './create-disk-from-disk-image.js';
import { createDiskInternalSnapshot } from './create-disk-internal-snapshot.js';
import { deleteCloudInitUserDataImage } from './delete-cloud-init-user-data-image.js';
import { deleteDisk } from './delete-disk.js';
import { deleteDiskInternalSnapshot } from './delete-disk-internal-snapshot.js';
import { resizeDisk } from './resize-disk.js';
import { revertDiskInternalSnapshot } from './revert-disk-internal-snapshot.js';

export const operations: OperationSpec[] = [
  createDisk,
  resizeDisk,
  deleteDisk,
  createDiskFromDiskImage,
  cloneDisk,
  createDiskInternalSnapshot,
  revertDiskInternalSnapshot,
  deleteDiskInternalSnapshot,
  createCloudInitUserDataImage,
  deleteCloudInitUserDataImage,
];
