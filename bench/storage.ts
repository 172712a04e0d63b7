/**
 * Storage engine figures on the real qemu-img, one JSON line each:
 *   full clone 4GiB    engine.cloneDisk(full) of a 4 GiB qcow2 disk holding 25% data, side by side
 *                      with `cp --sparse=always` + `sync` of the same file (goal ratio ≥ 0.9)
 *   linked clone       engine.cloneDisk(linked) of the same disk, p50
 *   snapshot create    external snapshot on a disk, p50 over a chain of 10
 *   delete-middle      deleting snapshot 5 of a chain of 10 (4 MiB of data in each layer)
 *   chains             create / delete-middle on a chain of 10 offline and online, revert p50
 *                      (lib-storage-chains.ts)
 * Everything lives under /var/lib/libvirt/ks-storage-bench-<random>/ and is removed afterwards.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { execa } from 'execa';
import { pino } from 'pino';
import { libvirtOnlineSnapshots } from '../src/executors/storage-online.js';
import { libvirtDomainUse } from '../src/executors/virtual-machine/domain-use.js';
import { LibvirtClient } from '../src/libvirt/index.js';
import { StorageEngine } from '../src/storage/index.js';
import { chainFigures } from './lib-storage-chains.js';
import { figure, median, timeEach } from './stats.js';

const MiB = 1024 * 1024;
const root = `/var/lib/libvirt/ks-storage-bench-${randomBytes(4).toString('hex')}`;

async function write(file: string, pattern: number, offset: number, len: number): Promise<void> {
  await execa('qemu-io', ['-f', 'qcow2', '-c', `write -P ${pattern} ${offset} ${len}`, file]);
}

async function dropCaches(): Promise<void> {
  await execa('sync');
}

async function main(): Promise<void> {
  await mkdir(root, { recursive: true });
  const log = pino({ level: 'silent' });
  const socketPath = process.env.KUBESTACK_LIBVIRT_SOCKET ?? '/var/run/libvirt/libvirt-sock';
  const libvirt = await LibvirtClient.connect({ socketPath, log });
  const engine = new StorageEngine({
    stateDir: join(root, 'state'),
    domainUse: libvirtDomainUse(libvirt),
    online: libvirtOnlineSnapshots(libvirt),
    log,
  });
  try {
    await engine.createPool({ name: 'bench-pool', type: 'dir', path: join(root, 'pool') });
    const pool = 'bench-pool';

    // 4 GiB disk, 25% of it written in 16 spread extents
    const src = await engine.createDisk({ pool, name: 'bench-src', capacity: 4096 * MiB });
    const extent = (4096 * MiB) / 4 / 16;
    for (let i = 0; i < 16; i++)
      await write(src.current, 0x40 + i, i * 256 * MiB, Math.floor(extent / 65536) * 65536);
    await dropCaches();

    const runs = 3;
    const ours: number[] = [];
    const cp: number[] = [];
    for (let i = 0; i < runs; i++) {
      let t0 = performance.now();
      await engine.cloneDisk({ pool, name: 'bench-src', newName: `bench-full${i}`, mode: 'full' });
      ours.push(performance.now() - t0);
      t0 = performance.now();
      await execa('cp', ['--sparse=always', src.current, join(root, `cp-copy${i}`)]);
      await execa('sync', [join(root, `cp-copy${i}`)]);
      cp.push(performance.now() - t0);
      await engine.deleteDisk({ pool, name: `bench-full${i}` });
      await rm(join(root, `cp-copy${i}`));
    }
    figure('full clone 4GiB', {
      ours_ms: median(ours),
      cp_ms: median(cp),
      // baseline ÷ ours, as every figure: below 1 means ours took longer than the bare copy
      ratio: median(cp) / median(ours),
      runs,
      data: '25%',
    });

    const linked = await timeEach(5, (i) =>
      engine.cloneDisk({ pool, name: 'bench-src', newName: `bench-linked${i}`, mode: 'linked' }),
    );
    figure('linked clone', { p50_ms: median(linked), max_ms: Math.max(...linked), runs: linked.length });

    // chain of 10 snapshots, 4 MiB of data per layer
    await engine.createDisk({ pool, name: 'bench-chain', capacity: 256 * MiB });
    const create: number[] = [];
    for (let s = 1; s <= 10; s++) {
      const cur = (await engine.diskInfo({ pool, name: 'bench-chain' })).current;
      await write(cur, 0x10 + s, s * 8 * MiB, 4 * MiB);
      const t0 = performance.now();
      await engine.createSnapshot({ pool, name: 'bench-chain', snapshot: `bsnap${s}` });
      create.push(performance.now() - t0);
    }
    figure('snapshot create (chain of 10)', {
      p50_ms: median(create),
      max_ms: Math.max(...create),
      runs: create.length,
    });
    const t0 = performance.now();
    await engine.deleteSnapshot({ pool, name: 'bench-chain', snapshot: 'bsnap5' });
    figure('snapshot delete-middle (chain of 10, 4 MiB/layer)', { ours_ms: performance.now() - t0 });
    await chainFigures(engine, libvirt, pool, process.env.KUBESTACK_VIRT_TYPE === 'qemu' ? 'qemu' : 'kvm');
  } finally {
    await libvirt.close();
    await rm(root, { recursive: true, force: true });
  }
}

await main();
