/**
 * Chain figures of `npm run bench -- storage`: external snapshot create / delete on a chain of 10,
 * offline (qemu-img) and online (the disk's domain runs: libvirt disk-only snapshot, block commit),
 * and revert p50. The online domain is transient, boots nothing (firmware only) and is destroyed
 * at the end; it only has to own the chain as a running QEMU does.
 */
import { performance } from 'node:perf_hooks';
import { execa } from 'execa';
import type { LibvirtClient } from '../src/libvirt/index.js';
import type { StorageEngine } from '../src/storage/index.js';
import { escapeXmlAttr } from '../src/xml-text.js';
import { figure, median } from './stats.js';

const MiB = 1024 * 1024;

async function write(file: string, pattern: number, offset: number, len: number): Promise<void> {
  await execa('qemu-io', ['-f', 'qcow2', '-c', `write -P ${pattern} ${offset} ${len}`, file]);
}

function domainXml(name: string, disk: string, virtType: string): string {
  return `<domain type='${virtType}'><name>${name}</name><memory unit='MiB'>128</memory><vcpu>1</vcpu>
<os><type arch='x86_64'>hvm</type></os><devices>
<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${escapeXmlAttr(disk)}'/>
<target dev='vda' bus='virtio'/></disk></devices></domain>`;
}

/** Builds a chain of 10 snapshots on `name` (4 MiB written per layer while offline) and times each. */
async function chainOf10(
  engine: StorageEngine,
  pool: string,
  name: string,
  online: boolean,
): Promise<number[]> {
  const create: number[] = [];
  for (let s = 1; s <= 10; s++) {
    if (!online) {
      const cur = (await engine.diskInfo({ pool, name })).current;
      await write(cur, 0x10 + s, s * 8 * MiB, 4 * MiB);
    }
    const t0 = performance.now();
    await engine.createSnapshot({ pool, name, snapshot: `bsnap${s}` });
    create.push(performance.now() - t0);
  }
  return create;
}

/** Deletes snapshots 9…2 of the chain (middle layers, newest first) and times each. */
async function deleteMiddles(engine: StorageEngine, pool: string, name: string): Promise<number[]> {
  const out: number[] = [];
  for (let s = 9; s >= 2; s--) {
    const t0 = performance.now();
    await engine.deleteSnapshot({ pool, name, snapshot: `bsnap${s}` });
    out.push(performance.now() - t0);
  }
  return out;
}

export async function chainFigures(
  engine: StorageEngine,
  libvirt: LibvirtClient,
  pool: string,
  virtType: string,
): Promise<void> {
  for (const online of [false, true]) {
    const name = online ? 'bench-online' : 'bench-offline';
    const disk = await engine.createDisk({ pool, name, capacity: 256 * MiB });
    await write(disk.current, 0x55, 0, 4 * MiB);
    const dom = online
      ? await libvirt.domainCreateXML(domainXml(`ks-bench-${process.pid}`, disk.current, virtType))
      : undefined;
    try {
      const create = await chainOf10(engine, pool, name, online);
      const del = await deleteMiddles(engine, pool, name);
      const mode = online ? 'online' : 'offline';
      figure(`snapshot create, chain of 10, ${mode}`, {
        p50_ms: median(create),
        max_ms: Math.max(...create),
      });
      figure(`snapshot delete-middle, chain of 10, ${mode}`, {
        p50_ms: median(del),
        max_ms: Math.max(...del),
      });
    } finally {
      if (dom) await libvirt.domainDestroyFlags(dom, 0);
    }
    if (!online) {
      const revert: number[] = [];
      for (const s of ['bsnap1', 'bsnap10', 'bsnap1', 'bsnap10', 'bsnap1']) {
        const t0 = performance.now();
        await engine.revertSnapshot({ pool, name, snapshot: s });
        revert.push(performance.now() - t0);
      }
      figure('revert (external snapshot)', { p50_ms: median(revert), max_ms: Math.max(...revert), runs: 5 });
    }
  }
}
