/**
 * The implemented operations of this kind. Add each operation file's definition here; documented
 * operations not listed answer "not supported on this node yet" (see ../registry.ts).
 */
import type { OperationSpec } from '../types.js';
import { createDiskImage } from './create-disk-image.js';
import { createDiskImageFromDisk } from './create-disk-image-from-disk.js';
import { deleteDiskImage } from './delete-disk-image.js';

export const operations: OperationSpec[] = [createDiskImageFromDisk, createDiskImage, deleteDiskImage];
