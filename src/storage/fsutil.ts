/** Small file-system helpers with the durability the engine relies on. */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** fsync of a directory, so a rename or unlink inside it survives a power cut. */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export function randomHex(bytes = 8): string {
  return randomBytes(bytes).toString('hex');
}

/** Writes `data` atomically: temp file in the same directory, fsync, rename, fsync of the directory. */
export async function atomicWrite(path: string, data: string, mode = 0o644): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.tmp-${randomHex(4)}`);
  const fh = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fsyncDir(dir);
}

export async function atomicWriteJson(path: string, value: unknown): Promise<void> {
  await atomicWrite(path, `${JSON.stringify(value)}\n`);
}

/** Makes `dir` (and parents) and fsyncs its parent so the new entry is durable. */
export async function mkdirDurable(dir: string, mode = 0o755): Promise<void> {
  await mkdir(dir, { recursive: true, mode });
  await fsyncDir(dirname(dir));
}

/** Removes a file or tree if present; fsyncs the parent. */
export async function removeDurable(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
  if (await exists(dirname(path))) await fsyncDir(dirname(path));
}

/** Renames and fsyncs both directories. */
export async function renameDurable(from: string, to: string): Promise<void> {
  await rename(from, to);
  await fsyncDir(dirname(to));
  if (dirname(from) !== dirname(to)) await fsyncDir(dirname(from));
}

export async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/** fsync a regular file (after qemu-img wrote it: qemu-img does not always flush to disk). */
export async function fsyncFile(path: string): Promise<void> {
  const fh = await open(path, constants.O_RDONLY);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
