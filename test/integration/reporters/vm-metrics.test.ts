/**
 * Per-VM metrics on the test bed's libvirtd: a running OS-less domain with a disk and a NIC shows
 * in the `kubevirt_vmi_*` families with the right types and labels, and its values agree with
 * libvirt's own figures (`virsh domstats`, read after the sample: counters may only have grown).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { execa } from 'execa';
import { type MetricValue, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibvirtClient } from '../../../src/libvirt/index.js';
import { createLogger } from '../../../src/log.js';
import { VmMetricsSampler } from '../../../src/reporters/vm-metrics.js';
import { connectClient, domainXml, removeDomain, uniqueName } from '../libvirt/helpers.js';

async function domstats(name: string): Promise<Record<string, string>> {
  const { stdout } = await execa('virsh', ['-c', 'qemu:///system', 'domstats', '--raw', name]);
  const out: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const m = line.trim().match(/^([^=]+)=(.*)$/);
    if (m) out[m[1] as string] = m[2] as string;
  }
  return out;
}

describe('per-VM metrics from one bulk libvirt call (real libvirtd)', () => {
  let c: LibvirtClient;
  const name = uniqueName('vmmetrics');
  const dir = `/var/lib/libvirt/${uniqueName('test')}`;
  const registry = new Registry();
  let calls = 0;
  let sampler: VmMetricsSampler;

  beforeAll(async () => {
    await mkdir(dir, { recursive: true });
    await writeFile(`${dir}/vda.raw`, Buffer.alloc(1024 * 1024));
    c = await connectClient();
    const devices =
      `<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='${dir}/vda.raw'/>` +
      "<target dev='vda' bus='virtio'/></disk><interface type='ethernet'><model type='virtio'/></interface>";
    await c.domainCreateWithFlags(
      await c.domainDefineXMLFlags(domainXml(name, { vcpus: 1, maxVcpus: 2, devices })),
    );
    const counting: Pick<LibvirtClient, 'connectGetAllDomainStats'> = {
      connectGetAllDomainStats: (...a) => {
        calls++;
        return c.connectGetAllDomainStats(...a);
      },
    };
    sampler = new VmMetricsSampler({
      libvirt: counting,
      registry,
      nodeName: 'it-node',
      intervalMs: 3_600_000,
      identify: (d) =>
        d === name ? { namespace: 'default', labels: { owner: 'it', cluster: 'c1' } } : undefined,
      log: createLogger('silent'),
    });
  });
  afterAll(async () => {
    await sampler?.stop();
    await removeDomain(c, name);
    await c?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function series(metric: string): Promise<{ type: string; values: MetricValue<string>[] }> {
    const m = registry.getSingleMetric(metric);
    if (!m) throw new Error(`${metric} is not registered`);
    const got = await m.get();
    return { type: String(got.type), values: got.values.filter((v) => v.labels['vm'] === name) };
  }

  it('one call per sample, none per scrape; types, labels and values agree with virsh domstats', async () => {
    await sampler.sample();
    await registry.metrics();
    await registry.metrics();
    expect(calls).toBe(1);
    const virsh = await domstats(name);
    const n = (k: string) => Number(virsh[k]);

    const cpu = await series('kubevirt_vmi_cpu_usage_seconds_total');
    expect(cpu.type).toBe('counter');
    expect(cpu.values).toHaveLength(1);
    expect(cpu.values[0]?.labels).toEqual({
      vm: name,
      namespace: 'default',
      node: 'it-node',
      owner: 'it',
      cluster: 'c1',
    });
    expect(cpu.values[0]?.value).toBeGreaterThan(0);
    expect(cpu.values[0]?.value).toBeLessThanOrEqual(n('cpu.time') / 1e9);

    const balloon = await series('kubevirt_vmi_memory_actual_balloon_bytes');
    expect(balloon.type).toBe('gauge');
    expect(balloon.values[0]?.value).toBe(n('balloon.current') * 1024);
    const rss = await series('kubevirt_vmi_memory_resident_bytes');
    expect(rss.values[0]?.value).toBeGreaterThan(0);

    const vcpu = await series('kubevirt_vmi_vcpu_seconds_total');
    expect(vcpu.values.map((v) => v.labels['id'])).toEqual(['0']);
    expect(vcpu.values[0]?.labels['state']).toBe('running');
    expect(vcpu.values[0]?.value).toBeLessThanOrEqual(n('vcpu.0.time') / 1e9);

    const rx = await series('kubevirt_vmi_network_receive_bytes_total');
    expect(rx.type).toBe('counter');
    expect(rx.values.map((v) => v.labels['device'])).toEqual([virsh['net.0.name']]);
    expect(rx.values[0]?.value).toBeLessThanOrEqual(n('net.0.rx.bytes'));

    const cap = await series('kubevirt_vmi_storage_capacity_bytes');
    expect(cap.values.map((v) => [v.labels['device'], v.value])).toEqual([['vda', n('block.0.capacity')]]);
    const reads = await series('kubevirt_vmi_storage_iops_read_total');
    expect(reads.values[0]?.value).toBeLessThanOrEqual(n('block.0.rd.reqs'));
    // Other engineers' domains on the shared host are not ours: never reported.
    const all = (await registry.getSingleMetric('kubevirt_vmi_cpu_usage_seconds_total')?.get())?.values ?? [];
    expect(all.every((v) => v.labels['vm'] === name)).toBe(true);
  });

  it('the text exposition carries the families with their TYPE lines', async () => {
    const text = await registry.metrics();
    expect(text).toContain('# TYPE kubevirt_vmi_storage_read_traffic_bytes_total counter');
    expect(text).toContain('# TYPE kubevirt_vmi_memory_resident_bytes gauge');
    expect(text).toMatch(new RegExp(`^kubevirt_vmi_network_transmit_packets_total\\{vm="${name}"`, 'm'));
  });
});
