/**
 * The one way to name a lock of the agent's NamedLocks (src/agent/locks.ts). Every operation that
 * touches a shared host thing names it through here, so two operations on the same thing always
 * exclude each other whatever they were given (a disk by pool + name, or by its file path).
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * The disk a file belongs to, from the pool layout: `<pool>/<disk>/<disk>`, or an overlay
 * `<pool>/<disk>/snapshots/<file>`; undefined for files outside that layout.
 */
export function diskNameOf(path: string): string | undefined {
  const dir = dirname(path);
  if (basename(dir) === 'snapshots') return basename(dirname(dir)) || undefined;
  return basename(dir) === basename(path) ? basename(path) : undefined;
}

/**
 * The path with its symlinks resolved (of the deepest existing ancestor, for a file still to be
 * made), as the handler's own resolver gives libvirt; the path itself when nothing resolves.
 * Synchronous because lock names are computed before the handler runs.
 */
export function lockPathOf(path: string): string {
  const rest: string[] = [];
  let existing = path;
  for (;;) {
    try {
      return join(realpathSync(existing), ...rest);
    } catch {
      const parent = dirname(existing);
      if (parent === existing) return path;
      rest.unshift(basename(existing));
      existing = parent;
    }
  }
}

export const lockNames = {
  /** The object of a queue key (`Kind/namespace/name`): one operation per object at a time. */
  object: (key: string): string => `object:${key}`,
  domain: (name: string): string => `domain:${name}`,
  pool: (name: string): string => `pool:${name}`,
  /** A disk of ours, by its name (disk names are the object names; unique per host in practice). */
  disk: (name: string): string => `disk:${name}`,
  /**
   * A disk file given by path: the disk its real file belongs to, or the real file outside the
   * layout — so a request naming the file through a symlink locks the same name as one naming it
   * directly.
   */
  diskFile: (path: string): string => {
    const real = lockPathOf(path);
    const disk = diskNameOf(real);
    return disk ? `disk:${disk}` : `file:${real}`;
  },
  image: (name: string): string => `image:${name}`,
  network: (name: string): string => `network:${name}`,
} as const;
