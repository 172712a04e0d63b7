/**
 * Storage pools: the registry (where pool definitions are kept) and the drivers (what makes a pool's
 * directory usable: nothing for dir/localfs, a mount for glusterfs/nfs).
 */
import { readFile, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { UnsupportedError, ValidationError } from '../errors.js';
import { haveCommand, run } from './exec.js';
import { atomicWriteJson, exists, listDir, mkdirDurable, removeDurable } from './fsutil.js';

export type PoolType = 'dir' | 'localfs' | 'glusterfs' | 'nfs' | 'cephfs' | 'rbd' | 'vdiskfs' | 'uus';
export const POOL_TYPES: readonly PoolType[] = [
  'dir',
  'localfs',
  'glusterfs',
  'nfs',
  'cephfs',
  'rbd',
  'vdiskfs',
  'uus',
];
export type PoolContent = 'vmd' | 'vmdi' | 'iso';
export const POOL_CONTENTS: readonly PoolContent[] = ['vmd', 'vmdi', 'iso'];

/** A pool definition as kept by the registry. */
export interface PoolRecord {
  name: string;
  type: PoolType;
  /** The pool's target directory (disks live in `<path>/<disk>/`). */
  path: string;
  content: PoolContent;
  autostart: boolean;
  /** Mount source: `host:volume` (glusterfs), `host:/export` (nfs). */
  source?: string;
  /** Extra mount options (e.g. `nolock`). */
  options?: string;
  /** The user stopped the pool (the registry remembers, so a restart does not start it). */
  stopped?: boolean;
}

/**
 * Where pool definitions are kept. The default keeps one JSON file per pool; the agent may back it
 * with libvirt dir pools instead (the anchor registers pools there), with the same contract.
 */
export interface PoolRegistry {
  get(name: string): Promise<PoolRecord | undefined>;
  put(rec: PoolRecord): Promise<void>;
  remove(name: string): Promise<void>;
  list(): Promise<PoolRecord[]>;
}

export class FilePoolRegistry implements PoolRegistry {
  constructor(readonly dir: string) {}
  private file(name: string): string {
    return join(this.dir, `${name}.json`);
  }
  async get(name: string): Promise<PoolRecord | undefined> {
    try {
      return JSON.parse(await readFile(this.file(name), 'utf8')) as PoolRecord;
    } catch {
      return undefined;
    }
  }
  async put(rec: PoolRecord): Promise<void> {
    if (!(await exists(this.dir))) await mkdirDurable(this.dir);
    await atomicWriteJson(this.file(rec.name), rec);
  }
  async remove(name: string): Promise<void> {
    await removeDurable(this.file(name));
  }
  async list(): Promise<PoolRecord[]> {
    const out: PoolRecord[] = [];
    for (const f of await listDir(this.dir)) {
      if (!f.endsWith('.json')) continue;
      const r = await this.get(f.slice(0, -5));
      if (r) out.push(r);
    }
    return out;
  }
}

/** Mount points from /proc/self/mountinfo (octal escapes decoded). */
export async function mountPoints(): Promise<Map<string, string>> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const parts = line.split(' ');
    const sep = parts.indexOf('-');
    if (parts.length < 5 || sep < 0) continue;
    const mp = (parts[4] ?? '').replace(/\\([0-7]{3})/g, (_, o: string) =>
      String.fromCharCode(Number.parseInt(o, 8)),
    );
    out.set(mp, parts[sep + 1] ?? '');
  }
  return out;
}

export async function isMounted(path: string): Promise<boolean> {
  return (await mountPoints()).has(path);
}

async function kernelHasFs(fs: string): Promise<boolean> {
  const text = await readFile('/proc/filesystems', 'utf8').catch(() => '');
  return text.split('\n').some((l) => l.trim().split(/\s+/).pop() === fs);
}

export interface PoolDriver {
  /** Throws UnsupportedError with the reason when this host cannot serve the type. */
  checkSupported(rec: PoolRecord): Promise<void>;
  /** Makes `rec.path` usable (mkdir; mount). Idempotent. */
  start(rec: PoolRecord): Promise<void>;
  /** Makes it unusable (unmount). Idempotent. */
  stop(rec: PoolRecord): Promise<void>;
  isActive(rec: PoolRecord): Promise<boolean>;
}

const dirDriver: PoolDriver = {
  async checkSupported() {},
  async start(rec) {
    if (!(await exists(rec.path))) await mkdirDurable(rec.path);
  },
  async stop() {},
  async isActive(rec) {
    return !rec.stopped && (await exists(rec.path));
  },
};

function mountDriver(fsType: 'glusterfs' | 'nfs', kernelFs: string, helper: string): PoolDriver {
  return {
    async checkSupported(rec) {
      if (!rec.source) throw new ValidationError(`a ${fsType} pool needs a source`, 'url');
      if (fsType === 'glusterfs' && !/^[A-Za-z0-9.-]+:[A-Za-z0-9._-]+$/.test(rec.source)) {
        throw new ValidationError(`'${rec.source}' is not host:volume`, 'url');
      }
      if (fsType === 'nfs' && !/^[A-Za-z0-9.-]+:\/[A-Za-z0-9._/-]*$/.test(rec.source)) {
        throw new ValidationError(`'${rec.source}' is not host:/export`, 'url');
      }
      if (!(await kernelHasFs(kernelFs))) {
        throw new UnsupportedError(
          `${fsType} pools are not supported on this host: the kernel cannot mount ${kernelFs} (no '${kernelFs}' in /proc/filesystems)`,
        );
      }
      if (!(await haveCommand(helper))) {
        throw new UnsupportedError(
          `${fsType} pools are not supported on this host: ${helper} is not installed`,
        );
      }
    },
    async start(rec) {
      await this.checkSupported(rec);
      if (!(await exists(rec.path))) await mkdirDurable(rec.path);
      if (await isMounted(rec.path)) return;
      const args = ['-t', fsType];
      if (rec.options) {
        if (!/^[A-Za-z0-9_=.,-]+$/.test(rec.options)) throw new ValidationError('bad mount options', 'opt');
        args.push('-o', rec.options);
      }
      args.push(rec.source as string, rec.path);
      await run('mount', args, { timeoutMs: 60_000 });
    },
    async stop(rec) {
      if (await isMounted(rec.path)) await run('umount', [rec.path], { timeoutMs: 60_000 });
    },
    async isActive(rec) {
      return !rec.stopped && (await isMounted(rec.path));
    },
  };
}

function unsupportedDriver(type: PoolType, probe: () => Promise<string | undefined>): PoolDriver {
  const fail = async () => {
    const why = await probe();
    throw new UnsupportedError(
      `${type} pools are not supported on this host: ${why ?? 'no driver for it in this agent'}`,
    );
  };
  return { checkSupported: fail, start: fail, stop: async () => {}, isActive: async () => false };
}

const DRIVERS: Record<PoolType, PoolDriver> = {
  dir: dirDriver,
  localfs: dirDriver,
  glusterfs: mountDriver('glusterfs', 'fuse', 'mount.glusterfs'),
  nfs: mountDriver('nfs', 'nfs', 'mount.nfs'),
  cephfs: unsupportedDriver('cephfs', async () =>
    (await kernelHasFs('ceph'))
      ? undefined
      : "the kernel has no 'ceph' file system (not in /proc/filesystems)",
  ),
  rbd: unsupportedDriver('rbd', async () =>
    (await haveCommand('rbd')) ? undefined : 'the rbd tool is not installed',
  ),
  vdiskfs: unsupportedDriver('vdiskfs', async () =>
    (await haveCommand('cstor-cli'))
      ? undefined
      : 'it needs the cstor-cli shared-disk tooling, not installed',
  ),
  uus: unsupportedDriver('uus', async () =>
    (await haveCommand('cstor-cli'))
      ? undefined
      : 'it needs the cstor-cli block storage tooling, not installed',
  ),
};

export function driverFor(type: PoolType): PoolDriver {
  return DRIVERS[type];
}

export interface Capacity {
  capacity: number;
  free: number;
  allocation: number;
}

export async function capacityOf(path: string): Promise<Capacity> {
  const s = await statfs(path);
  const capacity = s.blocks * s.bsize;
  const free = s.bavail * s.bsize;
  return { capacity, free, allocation: capacity - s.bfree * s.bsize };
}
