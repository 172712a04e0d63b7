/**
 * The agent's reporters on a libvirt client: host events turned into queue keys, and the per-VM
 * metrics sampler. A libvirt domain is named after its VirtualMachine object, which this node's
 * informer cache resolves to a namespace and labels (a domain that is no object of this node is not
 * reported). The families land on the agent's registry, served on `metricsAddr`.
 */
import type { Registry } from 'prom-client';
import type { LibvirtClient } from '../libvirt/index.js';
import type { Logger } from '../log.js';
import { type HostEventSink, startReporters } from '../reporters/index.js';
import { type VmIdentity, VmMetricsSampler } from '../reporters/vm-metrics.js';
import type { AgentConfig } from './config.js';
import { splitKey } from './dispatch.js';
import type { InformerSet } from './informer-set.js';

export interface VmMetricsWiring {
  libvirt: Pick<LibvirtClient, 'connectGetAllDomainStats'>;
  registry: Registry;
  config: Pick<AgentConfig, 'nodeName' | 'vmMetricsIntervalSeconds'>;
  informers: Pick<InformerSet, 'keysNamed' | 'get'>;
  log: Logger;
}

/** The VirtualMachine object a domain belongs to (the first watched namespace holding that name). */
export function identifyDomain(
  informers: VmMetricsWiring['informers'],
  domain: string,
): VmIdentity | undefined {
  for (const key of informers.keysNamed('VirtualMachine', domain)) {
    const obj = informers.get(key);
    if (obj) return { namespace: splitKey(key).namespace, labels: obj.metadata.labels };
  }
  return undefined;
}

export function startVmMetrics(o: VmMetricsWiring): VmMetricsSampler {
  const sampler = new VmMetricsSampler({
    libvirt: o.libvirt,
    registry: o.registry,
    nodeName: o.config.nodeName,
    intervalMs: o.config.vmMetricsIntervalSeconds * 1000,
    identify: (domain) => identifyDomain(o.informers, domain),
    log: o.log.child({ component: 'vm-metrics' }),
  });
  sampler.start();
  return sampler;
}

export interface HostReporting {
  stop(): Promise<void>;
}

/** Both reporters on one libvirt client; stop() ends the event forwarding and the sampling. */
export function startHostReporting(
  o: Omit<VmMetricsWiring, 'libvirt'> & { libvirt: LibvirtClient; sink: HostEventSink },
): HostReporting {
  const events = startReporters({ libvirt: o.libvirt, sink: o.sink, log: o.log });
  const sampler = startVmMetrics(o);
  return {
    async stop() {
      events.stop();
      await sampler.stop();
    },
  };
}
