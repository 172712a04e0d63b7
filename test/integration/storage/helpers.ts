/**
 * Shared helpers of the storage integration tests: a sandbox pool directory under
 * /var/lib/libvirt/ks-storage-test-<random>/ (removed afterwards) and qemu-io byte patterns.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { pino } from 'pino';
import { StorageEngine, type StorageEngineOptions } from '../../../src/storage/index.js';

export const MiB = 1024 * 1024;

export interface Sandbox {
  root: string;
  engine: StorageEngine;
  /** A pool directory inside the sandbox. */
  poolPath(name: string): string;
  cleanup(): Promise<void>;
}

export async function sandbox(opts: Partial<StorageEngineOptions> = {}): Promise<Sandbox> {
  const root = `/var/lib/libvirt/ks-storage-test-${randomBytes(4).toString('hex')}`;
  await mkdir(root, { recursive: true });
  const engine = new StorageEngine({
    stateDir: join(root, 'state'),
    log: pino({ level: process.env.KS_TEST_LOG ?? 'silent' }),
    ...opts,
  });
  return {
    root,
    engine,
    poolPath: (name) => join(root, name),
    cleanup: async () => {
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Writes `pattern` at `offset` (len bytes) through the image's whole chain, as a guest would. */
export async function writePattern(
  file: string,
  pattern: number,
  offset: number,
  len = 64 * 1024,
): Promise<void> {
  await execa('qemu-io', ['-f', 'qcow2', '-c', `write -P ${pattern} ${offset} ${len}`, file]);
}

export interface Pattern {
  pattern: number;
  offset: number;
  len?: number;
}

/** Reads every pattern back (read-only, shared lock); returns the ones that did not match. */
export async function badPatterns(
  file: string,
  patterns: readonly Pattern[],
  format = 'qcow2',
): Promise<Pattern[]> {
  const bad: Pattern[] = [];
  for (const p of patterns) {
    const r = await execa(
      'qemu-io',
      ['-r', '-U', '-f', format, '-c', `read -P ${p.pattern} ${p.offset} ${p.len ?? 64 * 1024}`, file],
      {
        reject: false,
      },
    );
    if (r.exitCode !== 0 || r.stdout.includes('verification failed')) bad.push(p);
  }
  return bad;
}

/** Every entry under `dir`, recursively, relative to it (for orphan checks). */
export async function tree(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string, prefix: string) => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      out.push(rel);
      if (e.isDirectory()) await walk(join(d, e.name), rel);
    }
  };
  await walk(dir, '');
  return out.sort();
}

/** Entries of the pool's hidden bookkeeping that must be gone once no operation runs. */
export function leftovers(entries: readonly string[]): string[] {
  return entries.filter(
    (e) =>
      /(^|\/)\.ks-(tmp|trash)-|\.tmp-|\.stale-/.test(e) ||
      /^\.ks-journal\/.+/.test(e) ||
      /^\.ks-locks\/.+/.test(e),
  );
}

/**
 * virsh for cross-checks and test domains. libvirtd is shared and other suites restart it on
 * purpose (reconnect tests): a refused connection is retried for up to 20 s.
 */
export async function virsh(...args: string[]): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const r = await execa('virsh', ['-c', 'qemu:///system', ...args], { reject: false });
    if (r.exitCode === 0) return r.stdout;
    if (
      !/failed to connect|Cannot recv data|End of file while reading/i.test(r.stderr) ||
      Date.now() > deadline
    ) {
      throw new Error(`virsh ${args.join(' ')} failed: ${r.stderr}`);
    }
    await new Promise((res) => setTimeout(res, 500));
  }
}
