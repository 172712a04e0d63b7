/**
 * Fixtures of the storage-chain matrix group: a disk with an external snapshot chain, the chain
 * read back (config.json's current, the overlays, the data on current), and a running domain for
 * the online cases: a transient domain started straight through libvirt (no install, no boot disk
 * needed: QEMU owning the disk chain is what matters), one qcow2 disk as vda. Cheap enough to start
 * before each case.
 */
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { env, GiB, removeDomain, virsh } from '../e2e/helpers.js';
import { badPatterns, writePattern } from '../storage/helpers.js';
import type { MatrixHost } from './kill-matrix.entries.js';
import { baseFile, PATTERN_A, PATTERN_B } from './kill-matrix-storage.entries.js';

export const diskOf = (name: string) => `${name}-disk`;
export const snapFile = (h: MatrixHost, name: string) => join(h.poolDir, diskOf(name), 'snapshots', name);

export const newDisk = async (h: MatrixHost, disk: string) => {
  await h.storage.createDisk({ pool: h.pool, name: disk, capacity: GiB });
  await writePattern(baseFile(h, disk), PATTERN_A.pattern, PATTERN_A.offset, PATTERN_A.len);
};

/** A disk `<name>-disk` with the external snapshot `<name>` (current), holding B on top of A. */
export const diskWithSnapshot = async (h: MatrixHost, name: string) => {
  await newDisk(h, diskOf(name));
  await h.storage.createSnapshot({ pool: h.pool, name: diskOf(name), snapshot: name });
  await writePattern(snapFile(h, name), PATTERN_B.pattern, PATTERN_B.offset, PATTERN_B.len);
};

export const snapRequest = (h: MatrixHost, name: string) => ({
  type: 'localfs',
  pool: h.pool,
  vol: diskOf(name),
  format: 'qcow2',
});

export interface Chain {
  current: string;
  /** The files under snapshots/, sorted. */
  overlays: string[];
}

export async function chainOf(h: MatrixHost, name: string): Promise<Chain | undefined> {
  const info = await h.storage.diskInfo({ pool: h.pool, name: diskOf(name) }).catch(() => undefined);
  if (!info) return undefined;
  const dir = join(h.poolDir, diskOf(name), 'snapshots');
  const overlays = (await readdir(dir).catch(() => [] as string[])).sort();
  return { current: info.current, overlays };
}

/** The disk's chain is exactly `want` (current file and overlays) and its current reads `data`. */
export async function expectChain(
  h: MatrixHost,
  name: string,
  want: Chain,
  data: typeof PATTERN_A,
): Promise<string[]> {
  const got = await chainOf(h, name);
  if (!got) return [`disk ${diskOf(name)} is gone`];
  const problems: string[] = [];
  if (got.current !== want.current) problems.push(`current is ${got.current}, expected ${want.current}`);
  if (got.overlays.join() !== want.overlays.join()) {
    problems.push(`overlays [${got.overlays}], expected [${want.overlays}]`);
  }
  if ((await badPatterns(got.current, [data])).length) {
    problems.push(`current does not hold pattern 0x${data.pattern.toString(16)}`);
  }
  return problems;
}

export const vmOf = (name: string) => `${name}-vm`;

function domainXml(name: string, disk: string): string {
  return `<domain type='${env.virtType}'>
  <name>${name}</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='${disk}'/>
      <target dev='vda' bus='virtio'/>
    </disk>
  </devices>
</domain>`;
}

/** Starts the transient domain `<name>-vm` on `disk`. */
export async function startDomainOn(h: MatrixHost, name: string, disk: string): Promise<void> {
  const file = join(h.root, `${vmOf(name)}.xml`);
  await writeFile(file, domainXml(vmOf(name), disk));
  await virsh('create', file);
}

export async function domainDiskSource(name: string): Promise<string | undefined> {
  const out = await virsh('domblklist', vmOf(name)).catch(() => '');
  return out
    .split('\n')
    .find((l) => l.trim().startsWith('vda'))
    ?.trim()
    .split(/\s+/)[1];
}

/** The domain runs on `file` as its vda (the chain QEMU holds has that top). */
export async function expectDomainOn(name: string, file: string): Promise<string[]> {
  const source = await domainDiskSource(name);
  return source === file ? [] : [`domain ${vmOf(name)} writes ${source ?? 'nothing'}, expected ${file}`];
}

export const removeDomainOf = (name: string) => removeDomain(vmOf(name));
