import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { DomainStatsRecord } from '../../../src/libvirt/index.js';
import { createLogger } from '../../../src/log.js';
import { VmMetricsSampler } from '../../../src/reporters/vm-metrics.js';

const dom = (name: string) => ({ name, uuid: '00000000-0000-0000-0000-000000000000', id: 1 });
const record = (name: string, extra: DomainStatsRecord['stats'] = {}): DomainStatsRecord => ({
  dom: dom(name),
  stats: {
    'state.state': 1,
    'cpu.time': 2_500_000_000,
    'balloon.current': 131072,
    'balloon.rss': 65536,
    'vcpu.current': 1,
    'vcpu.maximum': 2,
    'vcpu.0.state': 1,
    'vcpu.0.time': 1_000_000_000,
    'net.count': 1,
    'net.0.name': 'vnet7',
    'net.0.rx.bytes': 4096,
    'block.count': 1,
    'block.0.name': 'vda',
    'block.0.rd.bytes': 512,
    'block.0.rd.times': 3_000_000,
    ...extra,
  },
});

function sampler(records: () => DomainStatsRecord[] | Error) {
  const registry = new Registry();
  let calls = 0;
  const s = new VmMetricsSampler({
    libvirt: {
      connectGetAllDomainStats: async () => {
        calls++;
        const r = records();
        if (r instanceof Error) throw r;
        return r;
      },
    },
    registry,
    nodeName: 'n1',
    intervalMs: 60_000,
    identify: (name) =>
      name === 'other' ? undefined : { namespace: 'default', labels: { owner: 'alice', host: 'n1' } },
    log: createLogger('silent'),
  });
  return { s, registry, calls: () => calls };
}

describe('per-VM metrics sampler', () => {
  it('turns one bulk call into base-unit series with the VM labels; a scrape does not call libvirt', async () => {
    const { s, registry, calls } = sampler(() => [record('vm1'), record('other')]);
    await s.sample();
    const text = await registry.metrics();
    await registry.metrics();
    expect(calls()).toBe(1);
    expect(text).toContain('# TYPE kubevirt_vmi_cpu_usage_seconds_total counter');
    expect(text).toContain(
      'kubevirt_vmi_cpu_usage_seconds_total{vm="vm1",namespace="default",node="n1",owner="alice"} 2.5',
    );
    expect(text).toContain('# TYPE kubevirt_vmi_memory_resident_bytes gauge');
    expect(text).toMatch(/kubevirt_vmi_memory_resident_bytes\{vm="vm1"[^}]*\} 67108864$/m);
    expect(text).toMatch(/kubevirt_vmi_vcpu_seconds_total\{[^}]*id="0",state="running"\} 1$/m);
    expect(text).toMatch(/kubevirt_vmi_network_receive_bytes_total\{[^}]*device="vnet7"\} 4096$/m);
    expect(text).toMatch(/kubevirt_vmi_storage_read_times_seconds_total\{[^}]*device="vda"\} 0.003$/m);
    expect(text).not.toContain('vm="other"');
    // absent fields give no series (no guest balloon driver: no available memory)
    expect(text).not.toMatch(/^kubevirt_vmi_memory_available_bytes\{/m);
    expect(text).toMatch(/^kubestack_agent_vm_metrics_domains 1$/m);
  });

  it('a domain gone since the last sample drops out; a failed call keeps the last sample', async () => {
    let next: DomainStatsRecord[] | Error = [record('vm1'), record('vm2')];
    const { s, registry } = sampler(() => next);
    await s.sample();
    expect(await registry.metrics()).toContain('vm="vm2"');
    next = [record('vm1', { 'cpu.time': 5e9 })];
    await s.sample();
    let text = await registry.metrics();
    expect(text).not.toContain('vm="vm2"');
    expect(text).toMatch(/kubevirt_vmi_cpu_usage_seconds_total\{vm="vm1"[^}]*\} 5$/m);
    next = new Error('libvirt down');
    await s.sample();
    text = await registry.metrics();
    expect(text).toMatch(/kubevirt_vmi_cpu_usage_seconds_total\{vm="vm1"[^}]*\} 5$/m);
    expect(text).toContain('kubestack_agent_vm_metrics_samples_total{result="error"} 1');
  });
});
