/**
 * External snapshot chains and internal (qcow2) snapshots.
 *
 * Model (the anchor's, kept): snapshot S is the overlay file `snapshots/S`, created over what was
 * `current` then; S's point in time is S's backing file FB(S), which is frozen from then on. The
 * writes made after S go into S (or above it). `config.json.current` is the top the VM uses.
 *
 * - create: new overlay over current (offline qemu-img; online through OnlineSnapshotPort).
 * - revert to S: a NEW overlay over FB(S) becomes current. Nothing is deleted: the previous
 *   branch stays, and its snapshots keep working.
 * - delete S: S's data is committed into FB(S) (`qemu-img commit -d`; online: block commit), S's
 *   children are re-pointed to FB(S) with a SAFE rebase, then S's file goes. Every other snapshot's
 *   point in time and the current contents read the same before and after. Refused when FB(S) also
 *   backs another branch (its data would change), except for an abandoned leaf, which is just removed.
 */
import { basename, dirname, join } from 'node:path';
import { AlreadyExistsError, InUseError, NotFoundError, ValidationError } from '../errors.js';
import type { EngineCore } from './core.js';
import { type DiskRef, type diskInfo, loadDisk } from './disks.js';
import { exists, fsyncFile, listDir, mkdirDurable } from './fsutil.js';
import type { Action } from './journal.js';
import { configPath, readConfig, SNAPSHOTS_DIR, snapshotFile } from './layout.js';
import { readHeader } from './qcow2-header.js';
import * as qemuImg from './qemu-img.js';
import { assertName, assertSnapshotName } from './validate.js';

export interface SnapshotRef extends DiskRef {
  snapshot: string;
}

export interface SnapshotInfo {
  name: string;
  /** The overlay file `snapshots/<name>`. */
  file: string;
  /** The frozen point in time (the overlay's backing file): `full_backing_filename`. */
  full_backing_filename: string;
  /** The overlay is the disk's current top. */
  current: boolean;
  /** The overlay lies on the current chain (an ancestor of current, or current). */
  onCurrentChain: boolean;
}

export async function listSnapshots(core: EngineCore, ref: DiskRef): Promise<SnapshotInfo[]> {
  const { cfg, dir } = await loadDisk(core, ref);
  const chain = await core.chain(cfg.current);
  const out: SnapshotInfo[] = [];
  for (const name of (await listDir(join(dir, SNAPSHOTS_DIR))).sort()) {
    if (name.startsWith('.')) continue;
    const file = snapshotFile(dir, name);
    const h = await readHeader(file);
    out.push({
      name,
      file,
      full_backing_filename: h.backingPath ?? '',
      current: file === cfg.current,
      onCurrentChain: chain.includes(file),
    });
  }
  return out;
}

async function mkSnapshotsDir(dir: string): Promise<void> {
  if (!(await exists(join(dir, SNAPSHOTS_DIR)))) await mkdirDurable(join(dir, SNAPSHOTS_DIR));
}

export async function createSnapshot(core: EngineCore, p: SnapshotRef): Promise<SnapshotInfo> {
  const snap = assertName(p.snapshot, 'snapshot');
  const { pool, dir } = await loadDisk(core, p);
  await core.withDiskLocks([{ pool, name: p.name }], async () => {
    const cfg = await readConfig(dir);
    const file = snapshotFile(dir, snap);
    if (await exists(file)) throw new AlreadyExistsError('snapshot', snap, { details: { disk: cfg.name } });
    const fmt = await core.format(cfg.current);
    const hit = await core.domainUsing([cfg.current]);
    const newCfg = { ...cfg, current: file };
    if (hit) {
      // The domain owns the chain: libvirt must create the overlay and switch the disk to it.
      const online = core.deps.online;
      if (!online) {
        throw new InUseError(
          `disk '${cfg.name}' is used by domain '${hit.use.domain}': its snapshot must go through libvirt, which is not wired`,
        );
      }
      await mkSnapshotsDir(dir);
      // Journal first (phase commit, guarded): if we crash after libvirt made the overlay, recovery
      // points config.json at it; if libvirt never made it, the guard leaves config.json alone.
      await core.runPlan({
        op: 'createSnapshot',
        subject: `${pool.name}/${cfg.name}@${snap} (online)`,
        pool,
        rollback: [],
        afterCommit: async () => {
          await online.diskOnlySnapshot(hit.use.domain, cfg.current, file);
        },
        forward: [{ kind: 'writeJson', path: configPath(dir), value: newCfg, onlyIfExists: file }],
      });
      return;
    }
    await core.runPlan({
      op: 'createSnapshot',
      subject: `${pool.name}/${cfg.name}@${snap}`,
      pool,
      rollback: [{ kind: 'remove', path: file }],
      prepare: async (step) => {
        await mkSnapshotsDir(dir);
        step();
        await qemuImg.create(file, { format: 'qcow2', backingFile: cfg.current, backingFormat: fmt });
        await fsyncFile(file);
      },
      forward: [{ kind: 'writeJson', path: configPath(dir), value: newCfg }],
    });
  });
  core.log.info({ disk: p.name, snapshot: snap }, 'external snapshot created');
  return (await listSnapshots(core, p)).find((s) => s.name === snap) as SnapshotInfo;
}

async function requireSnapshot(dir: string, snap: string): Promise<{ file: string; frozen: string }> {
  assertName(snap, 'snapshot');
  const file = snapshotFile(dir, snap);
  if (!(await exists(file))) throw new NotFoundError('snapshot', snap);
  const h = await readHeader(file);
  if (!h.backingPath || !(await exists(h.backingPath))) {
    throw new NotFoundError('frozen file of snapshot', snap, { details: { backing: h.backingPath } });
  }
  return { file, frozen: h.backingPath };
}

/** Revert: a fresh overlay over the snapshot's frozen point becomes current; nothing is destroyed. */
export async function revertSnapshot(core: EngineCore, p: SnapshotRef): Promise<SnapshotInfo> {
  const { pool, dir } = await loadDisk(core, p);
  let overlayName = '';
  await core.withDiskLocks([{ pool, name: p.name }], async () => {
    const cfg = await readConfig(dir);
    const { frozen } = await requireSnapshot(dir, p.snapshot);
    await core.refuseDomainUse([cfg.current], `cannot revert disk '${cfg.name}' (stop and detach it first)`);
    overlayName = core.newId();
    const overlay = snapshotFile(dir, overlayName);
    const fmt = await core.format(frozen);
    await core.runPlan({
      op: 'revertSnapshot',
      subject: `${pool.name}/${cfg.name}@${p.snapshot}`,
      pool,
      rollback: [{ kind: 'remove', path: overlay }],
      prepare: async () => {
        await qemuImg.create(overlay, { format: 'qcow2', backingFile: frozen, backingFormat: fmt });
        await fsyncFile(overlay);
      },
      forward: [{ kind: 'writeJson', path: configPath(dir), value: { ...cfg, current: overlay } }],
    });
  });
  core.log.info({ disk: p.name, snapshot: p.snapshot }, 'reverted to external snapshot');
  return (await listSnapshots(core, p)).find((s) => s.name === overlayName) as SnapshotInfo;
}

export async function deleteSnapshot(core: EngineCore, p: SnapshotRef): Promise<void> {
  const { pool, dir } = await loadDisk(core, p);
  await core.withDiskLocks([{ pool, name: p.name }], async () => {
    const cfg = await readConfig(dir);
    const { file, frozen } = await requireSnapshot(dir, p.snapshot);
    const children = await core.backingUsers(file);
    const siblings = (await core.backingUsers(frozen)).filter((f) => f !== file);
    const isCurrent = file === cfg.current;
    const subject = `${pool.name}/${cfg.name}@${p.snapshot}`;

    if (siblings.length > 0) {
      if (children.length === 0 && !isCurrent) {
        // The top of an abandoned branch: no snapshot's point and not current; just remove it.
        await core.refuseDomainUse([file], `cannot delete snapshot '${p.snapshot}'`);
        await core.runPlan({
          op: 'deleteSnapshot',
          subject,
          pool,
          rollback: [],
          forward: [{ kind: 'remove', path: file }],
        });
        return;
      }
      throw new InUseError(
        `cannot delete snapshot '${p.snapshot}': its frozen file ${basename(frozen)} also backs ${siblings
          .map((s) => basename(s))
          .join(', ')}; merging into it would change them. Delete those branches first`,
        { details: { frozen, siblings } },
      );
    }
    if (dirname(frozen) !== dir && dirname(frozen) !== join(dir, SNAPSHOTS_DIR)) {
      throw new InUseError(
        `cannot delete snapshot '${p.snapshot}': it sits on ${frozen}, which belongs to another disk or image`,
      );
    }
    const chainFiles = [file, frozen, ...children];
    const hit = await core.domainUsing(chainFiles);
    if (hit && !hit.use.running) {
      // A stopped domain: merging offline is safe as long as no definition names S itself (its
      // disk keeps its path and contents); if one does, S's path would vanish under it.
      await core.refuseDomainUse([file], `cannot delete snapshot '${p.snapshot}'`);
    }
    if (hit?.use.running) {
      const online = core.deps.online;
      if (!online) {
        throw new InUseError(
          `cannot delete snapshot '${p.snapshot}': ${hit.path} is used by running domain '${hit.use.domain}' and the online path (libvirt) is not wired`,
        );
      }
      // Online: qemu merges S into FB(S) (active commit + pivot when S is the top).
      await core.runPlan({
        op: 'deleteSnapshot',
        subject: `${subject} (online)`,
        pool,
        rollback: [],
        prepare: async () => {
          await online.blockCommit(hit.use.domain, cfg.current, file, frozen);
        },
        forward: [
          ...(isCurrent
            ? ([{ kind: 'writeJson', path: configPath(dir), value: { ...cfg, current: frozen } }] as Action[])
            : []),
          { kind: 'remove', path: file },
        ],
      });
      return;
    }
    const fmt = await core.format(frozen);
    const forward: Action[] = [{ kind: 'commit', top: file, format: 'qcow2' }];
    for (const c of children) {
      forward.push({
        kind: 'rebase',
        file: c,
        format: await core.format(c),
        backing: frozen,
        backingFormat: fmt,
      });
    }
    // S goes before config.json moves: once S is gone a re-run after a crash can never commit it
    // again into FB(S), which by then may be the top a VM writes to.
    forward.push({ kind: 'remove', path: file });
    if (isCurrent) {
      forward.push({ kind: 'writeJson', path: configPath(dir), value: { ...cfg, current: frozen } });
    }
    await core.runPlan({ op: 'deleteSnapshot', subject, pool, rollback: [], forward });
  });
  core.log.info({ disk: p.name, snapshot: p.snapshot }, 'external snapshot deleted');
}

/**
 * Merges every snapshot from `snapshot` up to the current top into one layer: each of them is
 * deleted in turn (newest first), so the data all stays and only the points in time go.
 */
export async function mergeSnapshot(core: EngineCore, p: SnapshotRef): Promise<void> {
  const list = await listSnapshots(core, p);
  const target = list.find((s) => s.name === p.snapshot);
  if (!target) throw new NotFoundError('snapshot', p.snapshot);
  if (!target.onCurrentChain)
    throw new ValidationError(`snapshot '${p.snapshot}' is not on the current chain`, 'snapshot');
  const { cfg } = await loadDisk(core, p);
  const chain = await core.chain(cfg.current);
  const idx = chain.indexOf(target.file);
  const names = chain
    .slice(0, idx + 1)
    .filter((f) => dirname(f).endsWith(`/${SNAPSHOTS_DIR}`))
    .map((f) => basename(f));
  for (const n of names.reverse()) await deleteSnapshot(core, { ...p, snapshot: n });
}

/** Copies the snapshot's point in time, flattened, into a new standalone disk. */
export async function copySnapshot(
  core: EngineCore,
  p: SnapshotRef & { targetPool?: string; newName: string },
): Promise<Awaited<ReturnType<typeof diskInfo>>> {
  const { dir } = await loadDisk(core, p);
  const { frozen } = await requireSnapshot(dir, p.snapshot);
  const { importFileAsDisk } = await import('./images.js');
  return importFileAsDisk(core, {
    source: frozen,
    pool: p.targetPool ?? p.pool,
    name: p.newName,
    op: 'copySnapshot',
    content: 'vmd',
  });
}

// ---------------------------------------------------------------- internal snapshots

export async function listInternalSnapshots(
  core: EngineCore,
  ref: DiskRef,
): Promise<qemuImg.InternalSnapshotInfo[]> {
  const { cfg } = await loadDisk(core, ref);
  return qemuImg.snapshotList(cfg.current);
}

type InternalOp = 'create' | 'apply' | 'delete';

export async function internalSnapshot(core: EngineCore, p: SnapshotRef, op: InternalOp): Promise<void> {
  const name = assertSnapshotName(p.snapshot, 'snapshotname');
  const { pool, dir } = await loadDisk(core, p);
  await core.withDiskLocks([{ pool, name: p.name }], async () => {
    const cfg = await readConfig(dir);
    if ((await core.format(cfg.current)) !== 'qcow2') {
      throw new ValidationError(`disk '${cfg.name}' is not qcow2; internal snapshots need qcow2`, 'name');
    }
    // qemu-img must not write an image a VM has open; a defined, stopped domain is fine.
    await core.refuseDomainUse([cfg.current], `cannot ${op} internal snapshot '${name}'`, true);
    const existing = (await qemuImg.snapshotList(cfg.current)).map((s) => s.name);
    if (op === 'create' && existing.includes(name)) throw new AlreadyExistsError('snapshot', name);
    if (op !== 'create' && !existing.includes(name)) throw new NotFoundError('snapshot', name);
    if (op === 'create') await qemuImg.snapshotCreate(cfg.current, name);
    else if (op === 'apply') await qemuImg.snapshotApply(cfg.current, name);
    else await qemuImg.snapshotDelete(cfg.current, name);
    await fsyncFile(cfg.current);
  });
}
