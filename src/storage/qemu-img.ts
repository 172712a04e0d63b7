/**
 * Typed qemu-img: create, info, resize, convert, internal snapshots, commit, SAFE rebase, check.
 * `rebase -u` (unsafe: drops data that lived only in the old backing chain) is deliberately absent.
 */
import { execa } from 'execa';
import { CommandError, ValidationError } from '../errors.js';
import { run, tail } from './exec.js';

export type ImageFormat = 'qcow2' | 'raw' | 'qcow' | 'vmdk' | 'qed' | 'bochs' | 'vpc' | 'vdi';
export const IMAGE_FORMATS: readonly ImageFormat[] = [
  'qcow2',
  'raw',
  'qcow',
  'vmdk',
  'qed',
  'bochs',
  'vpc',
  'vdi',
];

export interface QemuImgOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** `qemu-img info --output=json` of one image (the fields we use; the rest is kept in `raw`). */
export interface ImageInfo {
  filename: string;
  format: string;
  virtualSize: number;
  actualSize: number;
  clusterSize?: number;
  dirtyFlag?: boolean;
  backingFilename?: string;
  fullBackingFilename?: string;
  backingFilenameFormat?: string;
  snapshots: InternalSnapshotInfo[];
  raw: Record<string, unknown>;
}

export interface InternalSnapshotInfo {
  id: string;
  name: string;
  /** Seconds since the epoch. */
  dateSec: number;
  vmStateSize: number;
}

export interface CheckResult {
  corruptions: number;
  leaks: number;
  checkErrors: number;
  raw: Record<string, unknown>;
}

const QEMU_IMG = 'qemu-img';

function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(v ?? 0);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function parseInfo(raw: Record<string, unknown>): ImageInfo {
  const snaps = Array.isArray(raw.snapshots) ? (raw.snapshots as Record<string, unknown>[]) : [];
  const info: ImageInfo = {
    filename: String(raw.filename ?? ''),
    format: String(raw.format ?? ''),
    virtualSize: num(raw['virtual-size']),
    actualSize: num(raw['actual-size']),
    snapshots: snaps.map((s) => ({
      id: String(s.id ?? ''),
      name: String(s.name ?? ''),
      dateSec: num(s['date-sec']),
      vmStateSize: num(s['vm-state-size']),
    })),
    raw,
  };
  if (raw['cluster-size'] !== undefined) info.clusterSize = num(raw['cluster-size']);
  if (typeof raw['dirty-flag'] === 'boolean') info.dirtyFlag = raw['dirty-flag'];
  const bf = str(raw['backing-filename']);
  if (bf) info.backingFilename = bf;
  const fbf = str(raw['full-backing-filename']);
  if (fbf) info.fullBackingFilename = fbf;
  const bff = str(raw['backing-filename-format']);
  if (bff) info.backingFilenameFormat = bff;
  return info;
}

export function assertFormat(format: string, field = 'format'): asserts format is ImageFormat {
  if (!(IMAGE_FORMATS as readonly string[]).includes(format)) {
    throw new ValidationError(
      `unsupported image format '${format}' (one of ${IMAGE_FORMATS.join(', ')})`,
      field,
    );
  }
}

export interface CreateParams {
  format: ImageFormat;
  /** Bytes; optional when a backing file gives the size. */
  sizeBytes?: number;
  backingFile?: string;
  backingFormat?: ImageFormat;
}

export async function create(path: string, p: CreateParams, o: QemuImgOptions = {}): Promise<void> {
  const args = ['create', '-q', '-f', p.format];
  if (p.backingFile) {
    if (!p.backingFormat) throw new ValidationError('a backing file needs its format', 'backingFormat');
    args.push('-b', p.backingFile, '-F', p.backingFormat);
  }
  args.push(path);
  if (p.sizeBytes !== undefined) args.push(String(p.sizeBytes));
  await run(QEMU_IMG, args, o);
}

/**
 * qemu-img info. `shareLock` (-U) reads an image a running VM holds open (the numbers may be a moment old).
 */
export async function info(
  path: string,
  opts: QemuImgOptions & { shareLock?: boolean } = {},
): Promise<ImageInfo> {
  const args = ['info', '--output=json'];
  if (opts.shareLock ?? true) args.push('-U');
  args.push(path);
  const { stdout } = await run(QEMU_IMG, args, opts);
  return parseInfo(JSON.parse(stdout) as Record<string, unknown>);
}

/** The whole chain, top first. */
export async function infoChain(
  path: string,
  opts: QemuImgOptions & { shareLock?: boolean } = {},
): Promise<ImageInfo[]> {
  const args = ['info', '--output=json', '--backing-chain'];
  if (opts.shareLock ?? true) args.push('-U');
  args.push(path);
  const { stdout } = await run(QEMU_IMG, args, opts);
  return (JSON.parse(stdout) as Record<string, unknown>[]).map(parseInfo);
}

/** Sets the virtual size. Shrinking throws unless `shrink` is set (then qemu-img gets --shrink). */
export async function resize(
  path: string,
  format: ImageFormat,
  newSizeBytes: number,
  opts: QemuImgOptions & { shrink?: boolean } = {},
): Promise<void> {
  const cur = await info(path, { ...opts, shareLock: false });
  if (newSizeBytes < cur.virtualSize && !opts.shrink) {
    throw new ValidationError(
      `new size ${newSizeBytes} is smaller than the current ${cur.virtualSize}; shrinking loses data and must be asked for explicitly`,
      'capacity',
    );
  }
  if (newSizeBytes === cur.virtualSize) return;
  const args = ['resize', '-q', '-f', format];
  if (newSizeBytes < cur.virtualSize) args.push('--shrink');
  args.push(path, String(newSizeBytes));
  await run(QEMU_IMG, args, opts);
}

export interface ConvertParams {
  /** Format of the source top file (the chain below is read through). */
  sourceFormat?: ImageFormat;
  targetFormat: ImageFormat;
  compress?: boolean;
  /** Make the copy a new top over this backing file instead of a full copy (-B). */
  backingFile?: string;
  backingFormat?: ImageFormat;
}

/**
 * Full copy through the whole backing chain into a standalone file; zero clusters stay unallocated
 * (qemu-img detects zeroes), so sparseness is kept.
 */
export async function convert(
  src: string,
  dst: string,
  p: ConvertParams,
  o: QemuImgOptions = {},
): Promise<void> {
  const args = ['convert', '-q', '-U'];
  if (p.sourceFormat) args.push('-f', p.sourceFormat);
  args.push('-O', p.targetFormat);
  // The target is always a fresh file, fsynced before it is renamed into place: out-of-order
  // writes (-W) are safe and make the copy cost about what `cp` of the same data costs.
  if (p.compress) args.push('-c');
  else args.push('-W');
  if (p.backingFile) {
    if (!p.backingFormat) throw new ValidationError('a backing file needs its format', 'backingFormat');
    args.push('-B', p.backingFile, '-F', p.backingFormat);
  }
  args.push(src, dst);
  await run(QEMU_IMG, args, o);
}

export async function snapshotCreate(path: string, name: string, o: QemuImgOptions = {}): Promise<void> {
  await run(QEMU_IMG, ['snapshot', '-q', '-c', name, path], o);
}
export async function snapshotApply(path: string, name: string, o: QemuImgOptions = {}): Promise<void> {
  await run(QEMU_IMG, ['snapshot', '-q', '-a', name, path], o);
}
export async function snapshotDelete(path: string, name: string, o: QemuImgOptions = {}): Promise<void> {
  await run(QEMU_IMG, ['snapshot', '-q', '-d', name, path], o);
}
export async function snapshotList(path: string, o: QemuImgOptions = {}): Promise<InternalSnapshotInfo[]> {
  return (await info(path, { ...o, shareLock: true })).snapshots;
}

/**
 * Writes the data of `top` into its backing file. `-d` leaves `top` untouched, so a crash in the
 * middle never changes what `top` reads (its clusters still shadow the backing file): re-running is safe.
 */
export async function commit(top: string, format: ImageFormat, o: QemuImgOptions = {}): Promise<void> {
  await run(QEMU_IMG, ['commit', '-q', '-d', '-f', format, top], o);
}

/**
 * SAFE rebase: qemu-img copies into `path` every cluster where the old and the new backing chain
 * differ, so what `path` reads stays identical. `newBacking` undefined = flatten (no backing file).
 */
export async function rebase(
  path: string,
  format: ImageFormat,
  newBacking: { file: string; format: ImageFormat } | undefined,
  o: QemuImgOptions = {},
): Promise<void> {
  const args = ['rebase', '-q', '-f', format];
  if (newBacking) args.push('-b', newBacking.file, '-F', newBacking.format);
  else args.push('-b', '');
  args.push(path);
  await run(QEMU_IMG, args, o);
}

export async function check(path: string, format: ImageFormat, o: QemuImgOptions = {}): Promise<CheckResult> {
  // qemu-img check exits 2 (corruptions) or 3 (leaks) with JSON still on stdout; we want the JSON.
  const r = await execa(QEMU_IMG, ['check', '--output=json', '-U', '-f', format, path], {
    reject: false,
    timeout: o.timeoutMs ?? 600_000,
  });
  const out = String(r.stdout ?? '');
  if (!out.trim().startsWith('{')) {
    throw new CommandError('qemu-img check', r.exitCode, tail(String(r.stderr ?? '')));
  }
  const raw = JSON.parse(out) as Record<string, unknown>;
  return {
    corruptions: num(raw.corruptions),
    leaks: num(raw.leaks),
    checkErrors: num(raw['check-errors']),
    raw,
  };
}

/** Whether two images read the same (qemu-img compare: 0 identical, 1 different, else an error). */
export async function sameContent(a: string, b: string, o: QemuImgOptions = {}): Promise<boolean> {
  const r = await execa(QEMU_IMG, ['compare', '-q', '-U', a, b], {
    reject: false,
    timeout: o.timeoutMs ?? 600_000,
  });
  if (r.exitCode === 0 || r.exitCode === 1) return r.exitCode === 0;
  throw new CommandError('qemu-img compare', r.exitCode, tail(String(r.stderr ?? '')));
}
