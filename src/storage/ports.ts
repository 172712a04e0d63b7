/**
 * What the storage engine needs from libvirt, as interfaces the agent wires to src/libvirt.
 * The engine never talks to libvirt itself.
 */

/** A domain that references a file (directly or as a `<backingStore>`). */
export interface DomainUse {
  domain: string;
  /** The domain is running (a qemu process has the file open). */
  running: boolean;
}

/** Is `path` used by a domain? undefined = no. */
export type DomainUseCheck = (path: string) => Promise<DomainUse | undefined>;

/** Block job progress as libvirt reports it (virDomainGetBlockJobInfo). */
export interface BlockJobInfo {
  type: 'pull' | 'commit' | 'activeCommit' | 'copy' | 'unknown';
  cur: number;
  end: number;
}

/**
 * The online paths: the disk belongs to a running (or defined) domain, so qemu-img must not touch
 * the files it writes. The lead implements this with the libvirt RPC client.
 */
export interface OnlineSnapshotPort {
  /**
   * External disk-only snapshot of one disk: libvirt creates `overlayPath` (qcow2) over the disk's
   * current file and switches the domain to it. Other disks are excluded.
   * (virDomainSnapshotCreateXML with DISK_ONLY | ATOMIC | NO_METADATA.)
   */
  diskOnlySnapshot(domain: string, diskPath: string, overlayPath: string): Promise<void>;
  /**
   * Commits `top` into `base` inside the running domain and waits for the job to finish. When `top`
   * is the active layer this is an active commit with pivot: the domain then writes into `base`.
   */
  blockCommit(domain: string, diskPath: string, top: string, base: string): Promise<void>;
  /** Pulls everything above `base` (or the whole chain when undefined) into the active layer; waits. */
  blockPull(domain: string, diskPath: string, base: string | undefined): Promise<void>;
  /** The running block job on the disk, undefined when none. */
  blockJobInfo(domain: string, diskPath: string): Promise<BlockJobInfo | undefined>;
  /** Grows the disk of a running domain (virDomainBlockResize, bytes). */
  blockResize?(domain: string, diskPath: string, bytes: number): Promise<void>;
}
