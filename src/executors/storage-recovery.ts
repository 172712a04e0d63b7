/**
 * Recovery hooks of the storage operations (OperationSpec.recover), after a crash mid-run. The
 * storage engine's own journal has already finished or rolled back its multi-step operations at
 * start-up, so what the operation makes (a disk, an image, a seed) is either complete or absent,
 * and what it removes is either gone or intact: the hook reads which, and never runs anything.
 */
import { NotFoundError } from '../errors.js';
import type { DiskInfo, DiskRef, StorageEngine } from '../storage/index.js';
import type { OperationOutcome, RecoveryResult } from './types.js';

/** The disk or image as the host holds it now; undefined when it does not exist. */
export async function diskIfPresent(storage: StorageEngine, ref: DiskRef): Promise<DiskInfo | undefined> {
  try {
    return await storage.diskInfo(ref);
  } catch (err) {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  }
}

/**
 * A create: present and what the request asks for (`matches`) = finished with `report`; absent =
 * nothing was made; present but something else = unknown.
 */
export async function recoverCreated(
  storage: StorageEngine,
  ref: DiskRef,
  outcome: (info: DiskInfo) => OperationOutcome | Promise<OperationOutcome>,
  matches: (info: DiskInfo) => boolean = () => true,
): Promise<RecoveryResult> {
  const info = await diskIfPresent(storage, ref);
  if (!info) return { undone: true };
  return matches(info) ? { outcome: await outcome(info) } : undefined;
}

/** A delete: gone = finished (the object goes too); still there = not run. */
export async function recoverDeleted(
  storage: StorageEngine,
  ref: DiskRef,
  message: string,
): Promise<RecoveryResult> {
  return (await diskIfPresent(storage, ref))
    ? { undone: true }
    : { outcome: { deleteObject: true, message } };
}

/** The disk's internal snapshot names (qemu-img reads the current file with a shared lock). */
export async function internalSnapshotNames(storage: StorageEngine, ref: DiskRef): Promise<string[]> {
  return (await storage.listInternalSnapshots(ref)).map((s) => s.name);
}
