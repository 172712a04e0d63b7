/**
 * The online paths (a running domain owns the chain) through OnlineSnapshotPort as the agent wires
 * it: over the libvirt RPC client (disk-only snapshot, block commit with pivot, block resize) on a
 * running OS-less domain of the real libvirtd. virsh only sets up and cross-checks.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { libvirtOnlineSnapshots } from '../../../src/executors/storage-online.js';
import { LibvirtClient } from '../../../src/libvirt/index.js';
import { testbedEnv } from '../testbed-env.js';
import { badPatterns, MiB, type Sandbox, sandbox, virsh, writePattern } from './helpers.js';

const domain = `ks-storage-online-${randomBytes(3).toString('hex')}`;
const POOL = 'ksol-pool';
let sb: Sandbox;

async function targetOf(dom: string, path: string): Promise<string> {
  const out = await virsh('domblklist', dom);
  for (const line of out.split('\n')) {
    const [target, source] = line.trim().split(/\s+/);
    if (source === path && target) return target;
  }
  throw new Error(`${path} is not a disk of ${dom}:\n${out}`);
}

/** Writes a pattern through the RUNNING domain's block layer (HMP qemu-io), as its guest would. */
async function guestWrite(pattern: number, offset: number): Promise<void> {
  const out = await virsh(
    'qemu-monitor-command',
    domain,
    '--hmp',
    `qemu-io -d /machine/peripheral/virtio-disk0/virtio-backend "write -P ${pattern} ${offset} 65536"`,
  );
  if (out.trim()) throw new Error(`guest write failed: ${out}`);
}

let lv: LibvirtClient;

beforeAll(async () => {
  lv = await LibvirtClient.connect({ socketPath: testbedEnv().libvirtSocket });
  sb = await sandbox({ online: libvirtOnlineSnapshots(lv) });
  await sb.engine.createPool({ name: POOL, type: 'dir', path: sb.poolPath(POOL) });
});
afterAll(async () => {
  // retried through libvirtd restarts by other suites, so no test domain outlives the suite
  await virsh('destroy', domain).catch(() => undefined);
  await virsh('undefine', domain).catch(() => undefined);
  await sb?.cleanup();
  await lv?.close();
});

describe('online snapshots through the port', () => {
  it('create on a running domain, delete the middle and the top with block commit; data intact', async () => {
    const d = await sb.engine.createDisk({ pool: POOL, name: 'online-disk', capacity: 64 * MiB });
    await writePattern(d.current, 0x31, 0);
    await sb.engine.createSnapshot({ pool: POOL, name: 'online-disk', snapshot: 'osnap1' }); // offline
    const cur1 = (await sb.engine.diskInfo({ pool: POOL, name: 'online-disk' })).current;
    await writePattern(cur1, 0x32, MiB);

    const virtType = process.env.KUBESTACK_VIRT_TYPE === 'kvm' ? 'kvm' : 'qemu';
    const xml = `<domain type='${virtType}'><name>${domain}</name><memory unit='MiB'>32</memory><vcpu>1</vcpu>
<os><type arch='x86_64'>hvm</type></os><features><acpi/></features><devices>
<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${cur1}'/><target dev='vda' bus='virtio'/></disk>
</devices></domain>`;
    const xmlFile = join(sb.root, 'online.xml');
    await writeFile(xmlFile, xml);
    await virsh('create', xmlFile); // transient and running

    // online create: libvirt makes the overlay and switches the running domain to it
    await guestWrite(0x33, 2 * MiB);
    const s2 = await sb.engine.createSnapshot({ pool: POOL, name: 'online-disk', snapshot: 'osnap2' });
    expect(await targetOf(domain, s2.file)).toBe('vda');
    await guestWrite(0x34, 3 * MiB);
    const s3 = await sb.engine.createSnapshot({ pool: POOL, name: 'online-disk', snapshot: 'osnap3' });
    expect(await targetOf(domain, s3.file)).toBe('vda');
    await guestWrite(0x35, 4 * MiB);
    await guestWrite(0x36, 0); // overwrites the base's pattern in the top layer
    const cfgPath = join(sb.poolPath(POOL), 'online-disk', 'config.json');
    expect(JSON.parse(await readFile(cfgPath, 'utf8')).current).toBe(s3.file);

    // delete a middle snapshot while running: block commit of osnap2 into its base
    await sb.engine.deleteSnapshot({ pool: POOL, name: 'online-disk', snapshot: 'osnap2' });
    await guestWrite(0x37, 5 * MiB);
    // delete the current top while running: active commit + pivot; current moves down
    await sb.engine.deleteSnapshot({ pool: POOL, name: 'online-disk', snapshot: 'osnap3' });
    const cfg = JSON.parse(await readFile(cfgPath, 'utf8'));
    expect(cfg.current).toBe(cur1);
    expect(await targetOf(domain, cur1)).toBe('vda');
    expect((await sb.engine.listSnapshots({ pool: POOL, name: 'online-disk' })).map((s) => s.name)).toEqual([
      'osnap1',
    ]);

    // online resize (grow only) goes through the port
    const grown = await sb.engine.resizeDisk({ pool: POOL, name: 'online-disk', capacity: 96 * MiB });
    expect(grown.virtual_size).toBe(96 * MiB);
    await expect(
      sb.engine.resizeDisk({ pool: POOL, name: 'online-disk', capacity: 80 * MiB }),
    ).rejects.toThrow(/can only grow/);
    await guestWrite(0x38, 90 * MiB);

    await virsh('destroy', domain);
    expect(await badPatterns(cur1, [{ pattern: 0x38, offset: 90 * MiB }])).toEqual([]);
    const all = [0x36, 0x32, 0x33, 0x34, 0x35, 0x37].map((pattern, i) => ({ pattern, offset: i * MiB }));
    expect(await badPatterns(cur1, all)).toEqual([]);
    // osnap1's point in time (the base) is untouched
    const base = join(sb.poolPath(POOL), 'online-disk', 'online-disk');
    expect(
      await badPatterns(base, [
        { pattern: 0x31, offset: 0 },
        { pattern: 0, offset: MiB },
      ]),
    ).toEqual([]);
    await sb.engine.deleteDisk({ pool: POOL, name: 'online-disk' });
  });
});
