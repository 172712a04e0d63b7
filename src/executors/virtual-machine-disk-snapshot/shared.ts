/**
 * What the disk-snapshot operations share: the optional `domain` parameter checked against the
 * domain that really uses the disk (before anything changes), and the snapshot's report.
 */
import { NotFoundError, ValidationError } from '../../errors.js';
import type { DiskRef, SnapshotInfo } from '../../storage/index.js';
import type { OperationContext } from '../types.js';
import { lookupDomain } from '../virtual-machine/domains.js';
import { snapshotVolumeReport } from './report.js';

/**
 * A named domain must exist and be the one using the disk; with none named, whichever domain uses
 * the disk is found by the engine itself (the parameter is advisory, as in uni-virt).
 */
export async function checkDomainParam(ctx: OperationContext, ref: DiskRef, domain?: string): Promise<void> {
  if (!domain) return;
  await lookupDomain(ctx.services.libvirt, domain);
  const user = (await ctx.services.storage.diskInfo(ref)).vm;
  if (user !== domain) {
    throw new ValidationError(
      user
        ? `disk '${ref.name}' is used by domain '${user}', not '${domain}'`
        : `domain '${domain}' does not use disk '${ref.name}'`,
      'domain',
    );
  }
}

export async function snapshotOf(ctx: OperationContext, ref: DiskRef, name: string): Promise<SnapshotInfo> {
  const snap = (await ctx.services.storage.listSnapshots(ref)).find((s) => s.name === name);
  if (!snap) throw new NotFoundError('snapshot', name, { details: { disk: ref.name } });
  return snap;
}

export async function snapshotReport(
  ctx: OperationContext,
  ref: DiskRef,
  snap: SnapshotInfo,
): Promise<Record<string, unknown>> {
  const storage = ctx.services.storage;
  const disk = await storage.diskInfo(ref);
  return snapshotVolumeReport(snap, disk, await storage.core.chain(snap.file));
}
