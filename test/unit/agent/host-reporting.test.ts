import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/agent/config.js';
import { identifyDomain, startVmMetrics } from '../../../src/agent/host-reporting.js';
import type { KubeObject } from '../../../src/kinds.js';
import type { DomainStatsRecord } from '../../../src/libvirt/index.js';
import { createLogger } from '../../../src/log.js';

/** A cache holding VirtualMachine objects by `<namespace>/<name>`, answering like InformerSet. */
function cache(objects: Record<string, Record<string, string> | undefined>) {
  const byKey = new Map<string, KubeObject>();
  for (const [id, labels] of Object.entries(objects)) {
    const [namespace, name] = id.split('/') as [string, string];
    byKey.set(`VirtualMachine/${namespace}/${name}`, {
      metadata: { name, namespace, ...(labels ? { labels } : {}) },
    } as KubeObject);
  }
  return {
    keysNamed: (kind: string, name: string) =>
      [...byKey.keys()].filter((k) => k.startsWith(`${kind}/`) && k.endsWith(`/${name}`)),
    get: (key: string) => byKey.get(key),
  };
}

const record = (name: string): DomainStatsRecord => ({
  dom: { name, uuid: '00000000-0000-0000-0000-000000000000', id: 1 },
  stats: { 'state.state': 1, 'cpu.time': 3_000_000_000, 'balloon.current': 1024 },
});

describe('identifyDomain', () => {
  it('maps a domain to its VirtualMachine object: namespace and labels; none for a stranger', () => {
    const informers = cache({ 'team-a/vm1': { owner: 'alice', host: 'n1' }, 'default/vm2': undefined });
    expect(identifyDomain(informers, 'vm1')).toEqual({
      namespace: 'team-a',
      labels: { owner: 'alice', host: 'n1' },
    });
    expect(identifyDomain(informers, 'vm2')).toEqual({ namespace: 'default', labels: undefined });
    expect(identifyDomain(informers, 'someone-elses')).toBeUndefined();
  });
});

describe('startVmMetrics', () => {
  it('samples on start into the given registry, only the cached VMs, and stop() frees the names', async () => {
    const registry = new Registry();
    let calls = 0;
    const libvirt = {
      connectGetAllDomainStats: async () => {
        calls++;
        return [record('vm1'), record('stranger')];
      },
    };
    const o = {
      libvirt,
      registry,
      config: { nodeName: 'n1', vmMetricsIntervalSeconds: 3600 },
      informers: cache({ 'team-a/vm1': { owner: 'alice' } }),
      log: createLogger('silent'),
    };
    const s = startVmMetrics(o);
    await s.sample();
    expect(calls).toBe(1);
    const cpu = await registry.getSingleMetric('kubevirt_vmi_cpu_usage_seconds_total')?.get();
    expect(cpu?.values).toEqual([
      { labels: { vm: 'vm1', namespace: 'team-a', node: 'n1', owner: 'alice' }, value: 3 },
    ]);
    await s.stop();
    expect(registry.getSingleMetric('kubevirt_vmi_cpu_usage_seconds_total')).toBeUndefined();
    expect(registry.getSingleMetric('kubestack_agent_vm_metrics_samples_total')).toBeUndefined();
    // An agent started again on the same metrics registers the families again.
    const again = startVmMetrics(o);
    await again.stop();
  });
});

describe('vmMetricsIntervalSeconds', () => {
  it('defaults to 10, is set by env or flag, and refuses what is no positive integer', () => {
    expect(resolveConfig({}, {}).vmMetricsIntervalSeconds).toBe(10);
    expect(resolveConfig({}, { KUBESTACK_VM_METRICS_INTERVAL_SECONDS: '30' }).vmMetricsIntervalSeconds).toBe(
      30,
    );
    expect(resolveConfig({ vmMetricsIntervalSeconds: '5' }, {}).vmMetricsIntervalSeconds).toBe(5);
    for (const bad of ['0', '-3', '1.5', 'often'])
      expect(() => resolveConfig({}, { KUBESTACK_VM_METRICS_INTERVAL_SECONDS: bad })).toThrow(
        /^KUBESTACK_VM_METRICS_INTERVAL_SECONDS: /,
      );
  });
});
