/**
 * Host paths named in requests (disks, ISOs, pools, device files) must stay under the documented
 * roots. One implementation for every layer:
 *   `confinePath`            the syntactic check (absolute, `..` resolved, allowed characters, length);
 *   `assertConfinedRealPath` the runtime check that no symlink leads out of the roots (returns the
 *                            real path);
 *   `confineRealPath`        both, returning the normalized path as the request named it;
 *   `resolveRequestPath`     the one resolver for a path an operation hands to the host: both checks,
 *                            then the type of the real file (a block device only when asked for).
 */
import { realpath, stat } from 'node:fs/promises';
import { posix } from 'node:path';
import { NotFoundError, ValidationError } from './errors.js';

/** The roots every request path must live under (API doc, general constraint (2)). */
export const ALLOWED_ROOTS: readonly string[] = ['/var/lib/libvirt', '/mnt/localfs', '/mnt/usb'];

export const PATH_MIN_LENGTH = 18;
export const PATH_MAX_LENGTH = 1024;

// The doc says lowercase letters, digits, '-' and '.', but its own examples use upper case and '_'
// (`/var/lib/libvirt/ISO/CentOS-7-x86_64-Minimal-1511.iso`), so both are accepted.
const SEGMENT = /^[A-Za-z0-9._-]+$/;

/** True when `path` lies strictly below `root`. */
export function isUnder(path: string, root: string): boolean {
  return path.startsWith(root.endsWith('/') ? root : `${root}/`);
}

/**
 * Returns the normalized path, or throws a ValidationError naming `field`.
 * The path must be absolute, 18–1024 characters, made of `[A-Za-z0-9._-]` segments, and strictly
 * below one of `roots` once `.` and `..` are resolved.
 */
export function confinePath(path: unknown, field: string, roots: readonly string[] = ALLOWED_ROOTS): string {
  if (typeof path !== 'string' || path === '') throw new ValidationError('path is empty', field);
  if (!path.startsWith('/')) throw new ValidationError(`path must be absolute (got '${path}')`, field);
  if (path.includes('\0')) throw new ValidationError('path contains a NUL character', field);
  const normalized = posix.normalize(path).replace(/\/+$/, '');
  if (!roots.some((root) => isUnder(normalized, root))) {
    const shown = normalized === path ? `'${path}'` : `'${path}' (= '${normalized}')`;
    throw new ValidationError(
      `path ${shown} is not under ${roots.join(', ')} (not under an allowed root)`,
      field,
    );
  }
  if (normalized.length < PATH_MIN_LENGTH || normalized.length > PATH_MAX_LENGTH) {
    throw new ValidationError(
      `path must be ${PATH_MIN_LENGTH}-${PATH_MAX_LENGTH} characters (got ${normalized.length}: '${path}')`,
      field,
    );
  }
  for (const segment of normalized.split('/').slice(1)) {
    if (!SEGMENT.test(segment)) {
      throw new ValidationError(
        `path segment '${segment}' may only contain letters, digits, '-', '_' and '.' (in '${path}')`,
        field,
      );
    }
  }
  return normalized;
}

async function realpathOrSelf(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return path;
  }
}

/**
 * Resolves symlinks (of the deepest existing ancestor, so a file still to be created is checked by
 * its directory) and throws a ValidationError if the real path leaves the (real) roots.
 * Returns the real path.
 */
export async function assertConfinedRealPath(
  path: unknown,
  field: string,
  roots: readonly string[] = ALLOWED_ROOTS,
): Promise<string> {
  const normalized = confinePath(path, field, roots);
  let existing = normalized;
  const rest: string[] = [];
  for (;;) {
    try {
      existing = await realpath(existing);
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
      rest.unshift(posix.basename(existing));
      const parent = posix.dirname(existing);
      if (parent === existing) break;
      existing = parent;
    }
  }
  const real = posix.join(existing, ...rest);
  const realRoots = await Promise.all(roots.map(realpathOrSelf));
  if (!realRoots.some((root) => isUnder(real, root))) {
    throw new ValidationError(
      `path '${normalized}' resolves to '${real}', outside ${roots.join(', ')} (through a symbolic link)`,
      field,
    );
  }
  return real;
}

/** `confinePath` plus the symlink check; returns the normalized path (not the real one). */
export async function confineRealPath(
  path: unknown,
  field: string,
  roots: readonly string[] = ALLOWED_ROOTS,
): Promise<string> {
  await assertConfinedRealPath(path, field, roots);
  return confinePath(path, field, roots);
}

/** What a request path must name on the host. `block` only where a documented parameter asks for it. */
export type RequestPathKind = 'file' | 'block' | 'directory';

export interface ResolveOptions {
  /** The kind of thing the path must be; a block device is refused unless this is `block`. */
  readonly kind: RequestPathKind;
  /** What to call it in a NotFound message (default: the kind). */
  readonly what?: string;
  readonly roots?: readonly string[];
}

const KIND_WORD: Record<RequestPathKind, string> = {
  file: 'regular file',
  block: 'block device',
  directory: 'directory',
};

const KIND_TEST: Record<RequestPathKind, (st: Awaited<ReturnType<typeof stat>>) => boolean> = {
  file: (st) => st.isFile(),
  block: (st) => st.isBlockDevice(),
  directory: (st) => st.isDirectory(),
};

/**
 * Resolves a path named in a request the one way every executor must: textual confinement, every
 * symbolic link resolved (realpath), the real path confined again, then the real file's type
 * checked. Returns the real path, which is what the host must be handed (a link swapped after
 * the check cannot redirect it). A missing file is NotFound naming `field`; a file of the wrong
 * type (a block device where a file is expected, a FIFO, …) is InvalidParameter naming `field`.
 */
export async function resolveRequestPath(
  path: unknown,
  field: string,
  opts: ResolveOptions,
): Promise<string> {
  const real = await assertConfinedRealPath(path, field, opts.roots);
  const st = await stat(real).catch(() => undefined);
  if (!st) throw new NotFoundError(opts.what ?? opts.kind, String(path), { details: { field } });
  if (!KIND_TEST[opts.kind](st)) {
    const found = st.isBlockDevice()
      ? 'a block device'
      : st.isDirectory()
        ? 'a directory'
        : st.isFile()
          ? 'a regular file'
          : 'a special file';
    const hint = st.isBlockDevice() && opts.kind === 'file' ? ' (a block device needs sourcetype=block)' : '';
    throw new ValidationError(`'${String(path)}' is ${found}, not a ${KIND_WORD[opts.kind]}${hint}`, field);
  }
  return real;
}
