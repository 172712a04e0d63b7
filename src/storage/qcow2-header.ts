/**
 * Reads the backing file name straight from a qcow2 header (no process spawn): the reference scans
 * ("does any file back onto this one?") look at every file of every disk, so they must be cheap.
 * Header facts: magic "QFI\xfb"; u64 backing_file_offset at byte 8; u32 backing_file_size at 16.
 */
import { type FileHandle, open } from 'node:fs/promises';
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

/** Header offsets (qcow2 v2/v3): l1_size u32 @36, l1_table_offset u64 @40, nb_snapshots u32 @60, snapshots_offset u64 @64. */
const L1_OFFSET_MASK = 0x00fffffffffffe00n;
/** Fixed part of a snapshot table entry, before its extra data, id string and name. */
const SNAPSHOT_ENTRY_FIXED = 40;

async function readL1(fh: FileHandle, offset: number, entries: number): Promise<bigint[]> {
  const buf = Buffer.alloc(entries * 8);
  await fh.read(buf, 0, buf.length, offset);
  return Array.from({ length: entries }, (_, i) => buf.readBigUInt64BE(i * 8) & L1_OFFSET_MASK);
}

/** Where the named internal snapshot's L1 table lies, from the snapshot table. */
async function snapshotL1(
  fh: FileHandle,
  head: Buffer,
  name: string,
): Promise<{ offset: number; size: number } | undefined> {
  const count = head.readUInt32BE(60);
  let pos = Number(head.readBigUInt64BE(64));
  for (let i = 0; i < count; i++) {
    const fixed = Buffer.alloc(SNAPSHOT_ENTRY_FIXED);
    await fh.read(fixed, 0, SNAPSHOT_ENTRY_FIXED, pos);
    const idSize = fixed.readUInt16BE(12);
    const nameSize = fixed.readUInt16BE(14);
    const extra = fixed.readUInt32BE(36);
    const nameBuf = Buffer.alloc(nameSize);
    await fh.read(nameBuf, 0, nameSize, pos + SNAPSHOT_ENTRY_FIXED + extra + idSize);
    if (nameBuf.toString('utf8') === name) {
      return { offset: Number(fixed.readBigUInt64BE(0)), size: fixed.readUInt32BE(8) };
    }
    const len = SNAPSHOT_ENTRY_FIXED + extra + idSize + nameSize;
    pos += Math.ceil(len / 8) * 8;
  }
  return undefined;
}

/**
 * True when the image's active L1 table points at exactly the clusters of the named internal
 * snapshot's L1 table, i.e. the image reads what the snapshot holds: right after the snapshot was
 * taken or applied, before any write (a write copies an L2 table and changes the active L1).
 * False for an unknown snapshot or a file that is not qcow2.
 */
export async function activeIsInternalSnapshot(path: string, name: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(72);
    const { bytesRead } = await fh.read(head, 0, 72, 0);
    if (bytesRead < 72 || head.readUInt32BE(0) !== QCOW_MAGIC) return false;
    const snap = await snapshotL1(fh, head, name);
    if (!snap) return false;
    const active = await readL1(fh, Number(head.readBigUInt64BE(40)), head.readUInt32BE(36));
    const frozen = await readL1(fh, snap.offset, snap.size);
    // a table shorter than the other reads as unallocated (zero) beyond its end
    const n = Math.max(active.length, frozen.length);
    for (let i = 0; i < n; i++) if ((active[i] ?? 0n) !== (frozen[i] ?? 0n)) return false;
    return true;
  } finally {
    await fh.close();
  }
}
