/**
 * Reads the backing file name straight from a qcow2 header (no process spawn): the reference scans
 * ("does any file back onto this one?") look at every file of every disk, so they must be cheap.
 * Header facts: magic "QFI\xfb"; u64 backing_file_offset at byte 8; u32 backing_file_size at 16.
 */
import { open } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

const QCOW_MAGIC = 0x514649fb;

export interface HeaderFacts {
  isQcow2: boolean;
  /** The backing file as written in the header (may be relative to the image's directory). */
  backingName?: string;
  /** Absolute path of the backing file. */
  backingPath?: string;
}

export async function readHeader(path: string): Promise<HeaderFacts> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(20);
    const { bytesRead } = await fh.read(head, 0, 20, 0);
    if (bytesRead < 20 || head.readUInt32BE(0) !== QCOW_MAGIC) return { isQcow2: false };
    const off = Number(head.readBigUInt64BE(8));
    const size = head.readUInt32BE(16);
    if (off === 0 || size === 0 || size > 4096) return { isQcow2: true };
    const name = Buffer.alloc(size);
    await fh.read(name, 0, size, off);
    const backingName = name.toString('utf8');
    // protocol-style names (e.g. "json:{…}", "gluster://") are not paths.
    const backingPath = /^[a-z+]+:/.test(backingName) ? backingName : resolve(dirname(path), backingName);
    return { isQcow2: true, backingName, backingPath };
  } finally {
    await fh.close();
  }
}
