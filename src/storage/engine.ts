/**
 * The storage engine's public face: one object the agent builds once (Services.storage) and the
 * storage executors call. Every method takes typed parameters, validates them, and throws the error
 * family of src/errors.ts (ValidationError, NotFoundError, AlreadyExistsError, InUseError,
 * UnsupportedError, CommandError with qemu-img's stderr tail).
 */
import { type Logger, rootLogger } from '../log.js';
import { ALLOWED_ROOTS } from '../paths.js';
import { EngineCore } from './core.js';
import * as disks from './disks.js';
import { exists } from './fsutil.js';
import * as images from './images.js';
import { scanDomainUse } from './in-use.js';
import { recoverStorageJournal } from './journal.js';
import * as poolOps from './pool-ops.js';
import { FilePoolRegistry, type PoolRegistry } from './pools.js';
import type { DomainUseCheck, OnlineSnapshotPort } from './ports.js';
import { activeIsInternalSnapshot } from './qcow2-header.js';
import type { InternalSnapshotInfo } from './qemu-img.js';
import * as snaps from './snapshots.js';

export interface StorageEngineOptions {
  /** Where pool definitions are kept (default: JSON files under `stateDir`/pools). */
  registry?: PoolRegistry;
  /** Directory for the default registry (default /var/lib/libvirt/kubestack). */
  stateDir?: string;
  /** Roots every pool and source path must lie under (default /var/lib/libvirt, /mnt/localfs, /mnt/usb). */
  allowedRoots?: readonly string[];
  /** "Is this file used by a domain?" — the agent wires libvirt; default scans host definitions and qemu processes. */
  domainUse?: DomainUseCheck;
  /** The libvirt side of online snapshots/commits (undefined: online paths refuse with InUseError). */
  online?: OnlineSnapshotPort;
  log?: Logger;
}

export const DEFAULT_STATE_DIR = '/var/lib/libvirt/kubestack';

export class StorageEngine {
  readonly core: EngineCore;

  constructor(opts: StorageEngineOptions = {}) {
    this.core = new EngineCore({
      registry: opts.registry ?? new FilePoolRegistry(`${opts.stateDir ?? DEFAULT_STATE_DIR}/pools`),
      allowedRoots: opts.allowedRoots ?? ALLOWED_ROOTS,
      domainUse: opts.domainUse ?? scanDomainUse,
      online: opts.online,
      log: (opts.log ?? rootLogger).child({ component: 'storage' }),
    });
  }

  // ------------------------------------------------------------ start-up
  /** Finishes or undoes operations a crash interrupted, in every registered pool. Call at start. */
  async recover(): Promise<Awaited<ReturnType<typeof recoverStorageJournal>>> {
    const out: Awaited<ReturnType<typeof recoverStorageJournal>> = [];
    for (const p of await this.core.deps.registry.list()) {
      if (await exists(p.path)) out.push(...(await recoverStorageJournal(p.path, this.core.log)));
    }
    return out;
  }
  autostartPools(): Promise<{ pool: string; error?: string }[]> {
    return poolOps.autostartPools(this.core);
  }

  // ------------------------------------------------------------ pools
  createPool(p: poolOps.CreatePoolParams): Promise<poolOps.PoolInfo> {
    return poolOps.createPool(this.core, p);
  }
  startPool(name: string): Promise<poolOps.PoolInfo> {
    return poolOps.startPool(this.core, name);
  }
  stopPool(name: string): Promise<poolOps.PoolInfo> {
    return poolOps.stopPool(this.core, name);
  }
  deletePool(name: string, opts: { force?: boolean } = {}): Promise<void> {
    return poolOps.deletePool(this.core, name, opts);
  }
  setPoolAutostart(name: string, autostart: boolean): Promise<poolOps.PoolInfo> {
    return poolOps.setPoolAutostart(this.core, name, autostart);
  }
  /** Forgets the pool's record (its object was deleted); the directory, mount and files stay. */
  async releasePool(name: string): Promise<void> {
    await this.core.deps.registry.remove(name);
  }
  poolInfo(name: string): Promise<poolOps.PoolInfo> {
    return poolOps.poolInfo(this.core, name);
  }
  async listPools(): Promise<poolOps.PoolInfo[]> {
    return Promise.all(
      (await this.core.deps.registry.list()).map((p) => poolOps.poolInfo(this.core, p.name)),
    );
  }

  // ------------------------------------------------------------ disks
  createDisk(p: disks.CreateDiskParams): Promise<disks.DiskInfo> {
    return disks.createDisk(this.core, p);
  }
  resizeDisk(p: disks.ResizeDiskParams): Promise<disks.DiskInfo> {
    return disks.resizeDisk(this.core, p);
  }
  deleteDisk(p: disks.DiskRef): Promise<void> {
    return disks.deleteDisk(this.core, p);
  }
  diskInfo(p: disks.DiskRef): Promise<disks.DiskInfo> {
    return disks.diskInfo(this.core, p);
  }
  cloneDisk(p: disks.CloneDiskParams): Promise<disks.DiskInfo> {
    return disks.cloneDisk(this.core, p);
  }

  // ------------------------------------------------------------ external snapshots
  createSnapshot(p: snaps.SnapshotRef): Promise<snaps.SnapshotInfo> {
    return snaps.createSnapshot(this.core, p);
  }
  revertSnapshot(p: snaps.SnapshotRef): Promise<snaps.SnapshotInfo> {
    return snaps.revertSnapshot(this.core, p);
  }
  deleteSnapshot(p: snaps.SnapshotRef): Promise<void> {
    return snaps.deleteSnapshot(this.core, p);
  }
  mergeSnapshot(p: snaps.SnapshotRef): Promise<void> {
    return snaps.mergeSnapshot(this.core, p);
  }
  copySnapshot(p: snaps.SnapshotRef & { targetPool?: string; newName: string }): Promise<disks.DiskInfo> {
    return snaps.copySnapshot(this.core, p);
  }
  listSnapshots(p: disks.DiskRef): Promise<snaps.SnapshotInfo[]> {
    return snaps.listSnapshots(this.core, p);
  }

  // ------------------------------------------------------------ internal snapshots
  createInternalSnapshot(p: snaps.SnapshotRef): Promise<void> {
    return snaps.internalSnapshot(this.core, p, 'create');
  }
  revertInternalSnapshot(p: snaps.SnapshotRef): Promise<void> {
    return snaps.internalSnapshot(this.core, p, 'apply');
  }
  deleteInternalSnapshot(p: snaps.SnapshotRef): Promise<void> {
    return snaps.internalSnapshot(this.core, p, 'delete');
  }
  listInternalSnapshots(p: disks.DiskRef): Promise<InternalSnapshotInfo[]> {
    return snaps.listInternalSnapshots(this.core, p);
  }
  /** The disk reads exactly what the internal snapshot holds (applied, or taken, and not written since). */
  async readsInternalSnapshot(p: snaps.SnapshotRef): Promise<boolean> {
    const { cfg } = await disks.loadDisk(this.core, p);
    return activeIsInternalSnapshot(cfg.current, p.snapshot);
  }

  // ------------------------------------------------------------ images
  createDiskImage(p: images.CreateDiskImageParams): Promise<disks.DiskInfo> {
    return images.createDiskImage(this.core, p);
  }
  deleteDiskImage(p: disks.DiskRef): Promise<void> {
    return images.deleteDiskImage(this.core, p);
  }
  createDiskFromImage(p: images.CreateDiskFromImageParams): Promise<disks.DiskInfo> {
    return images.createDiskFromImage(this.core, p);
  }
  createVMImage(p: images.CreateVMImageParams): Promise<images.VMImageInfo> {
    return images.createVMImage(this.core, p);
  }
  deleteVMImage(p: disks.DiskRef): Promise<void> {
    return images.deleteVMImage(this.core, p);
  }
  createCloudInitImage(p: images.CloudInitParams): Promise<disks.DiskInfo> {
    return images.createCloudInitImage(this.core, p);
  }
  deleteCloudInitImage(p: disks.DiskRef): Promise<void> {
    return disks.deleteDisk(this.core, p);
  }
}
