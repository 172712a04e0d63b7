/**
 * Per-VM metrics: every interval ONE bulk libvirt call (virConnectGetAllDomainStats for the running
 * domains) refreshes the `kubevirt_vmi_*` families; a scrape reads the last sample and never calls
 * libvirt. A domain is reported only when it belongs to one of this node's VM objects (`identify`),
 * with that object's name, namespace and labels; a domain gone since the last sample drops out.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import { errorMessage } from '../errors.js';
import type { DomainStatsRecord, LibvirtClient } from '../libvirt/index.js';
import type { Logger } from '../log.js';
import {
  COPIED_OBJECT_LABELS,
  familyLabelNames,
  VCPU_STATES,
  VM_METRIC_FAMILIES,
  type VmMetricFamily,
} from './vm-metric-families.js';

/** VIR_DOMAIN_STATS_{STATE,CPU_TOTAL,BALLOON,VCPU,INTERFACE,BLOCK}. */
const STATS_GROUPS = 1 | 2 | 4 | 8 | 16 | 32;
/** VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE | _NOWAIT (a domain busy in a job reports what it can). */
const STATS_FLAGS = 1 | (1 << 29);

export interface VmIdentity {
  namespace: string;
  /** The object's metadata.labels. */
  labels: Record<string, string> | undefined;
}

export interface VmMetricsOptions {
  libvirt: Pick<LibvirtClient, 'connectGetAllDomainStats'>;
  registry: Registry;
  nodeName: string;
  /** Sampling period. VirtMonitor sampled every 10 s. */
  intervalMs: number;
  /** The VM object a domain belongs to; undefined: not ours, not reported. */
  identify: (domain: string) => VmIdentity | undefined;
  log: Logger;
}

/** The sampler's own health series. */
const OWN = {
  samples: 'kubestack_agent_vm_metrics_samples_total',
  sampleSeconds: 'kubestack_agent_vm_metrics_sample_duration_seconds',
  lastSample: 'kubestack_agent_vm_metrics_last_sample_timestamp_seconds',
  domains: 'kubestack_agent_vm_metrics_domains',
} as const;

type Labels = Record<string, string>;
type Series = { counter: Counter<string> } | { gauge: Gauge<string> };

export class VmMetricsSampler {
  private readonly series = new Map<VmMetricFamily, Series>();
  private readonly samples: Counter<'result'>;
  private readonly sampleSeconds: Gauge;
  private readonly lastSampleTime: Gauge;
  private readonly reported: Gauge;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly o: VmMetricsOptions) {
    const registers = [o.registry];
    for (const fam of VM_METRIC_FAMILIES) {
      const cfg = { name: fam.name, help: fam.help, labelNames: familyLabelNames(fam.scope), registers };
      this.series.set(
        fam,
        fam.type === 'counter' ? { counter: new Counter(cfg) } : { gauge: new Gauge(cfg) },
      );
    }
    this.samples = new Counter({
      name: OWN.samples,
      help: 'Per-VM statistics samples taken (one libvirt call each), by result (ok|error).',
      labelNames: ['result'],
      registers,
    });
    this.sampleSeconds = new Gauge({
      name: OWN.sampleSeconds,
      help: 'Duration of the last per-VM statistics sample.',
      registers,
    });
    this.lastSampleTime = new Gauge({
      name: OWN.lastSample,
      help: 'Unix time of the last successful per-VM statistics sample.',
      registers,
    });
    this.reported = new Gauge({
      name: OWN.domains,
      help: 'Running domains reported in the last sample.',
      registers,
    });
  }

  /** Samples now, then every interval (a sample still running is not overlapped). */
  start(): void {
    void this.sample();
    this.timer = setInterval(() => void this.sample(), this.o.intervalMs);
    this.timer.unref();
  }

  /** Stops sampling and takes the families off the registry (a later sampler may register them again). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    for (const fam of VM_METRIC_FAMILIES) this.o.registry.removeSingleMetric(fam.name);
    for (const name of Object.values(OWN)) this.o.registry.removeSingleMetric(name);
  }

  /** One sample; resolves when the families hold it. A failed call keeps the previous sample. */
  sample(): Promise<void> {
    this.running ??= this.takeSample().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async takeSample(): Promise<void> {
    const t0 = performance.now();
    let records: DomainStatsRecord[];
    try {
      records = await this.o.libvirt.connectGetAllDomainStats([], STATS_GROUPS, STATS_FLAGS);
    } catch (err) {
      this.samples.inc({ result: 'error' });
      this.o.log.warn({ err: errorMessage(err) }, 'per-VM statistics sample failed; keeping the last one');
      return;
    }
    this.apply(records);
    this.samples.inc({ result: 'ok' });
    this.sampleSeconds.set((performance.now() - t0) / 1000);
    this.lastSampleTime.set(Date.now() / 1000);
  }

  /** Replaces every family's series with the records' values (synchronously: no scrape sees half). */
  apply(records: DomainStatsRecord[]): void {
    for (const s of this.series.values()) ('counter' in s ? s.counter : s.gauge).reset();
    let n = 0;
    for (const r of records) {
      const who = this.o.identify(r.dom.name);
      if (!who) continue;
      n++;
      const base = this.baseLabels(r.dom.name, who);
      for (const [fam, s] of this.series) {
        for (const [labels, value] of valuesOf(fam, r.stats, base)) {
          if ('counter' in s) s.counter.inc(labels, value);
          else s.gauge.set(labels, value);
        }
      }
    }
    this.reported.set(n);
  }

  private baseLabels(vm: string, who: VmIdentity): Labels {
    const labels: Labels = { vm, namespace: who.namespace, node: this.o.nodeName };
    for (const l of COPIED_OBJECT_LABELS) {
      const v = who.labels?.[l];
      if (v) labels[l] = v;
    }
    return labels;
  }
}

type Stats = DomainStatsRecord['stats'];

function num(stats: Stats, key: string): number | undefined {
  const v = stats[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** The (labels, value) pairs of one family in one domain's stats; absent fields give none. */
function valuesOf(fam: VmMetricFamily, stats: Stats, base: Labels): Array<[Labels, number]> {
  if (fam.scope === 'domain') {
    const v = num(stats, fam.field);
    return v === undefined ? [] : [[base, v * fam.scale]];
  }
  const count = num(stats, `${fam.scope}.${fam.scope === 'vcpu' ? 'maximum' : 'count'}`) ?? 0;
  const out: Array<[Labels, number]> = [];
  for (let i = 0; i < count; i++) {
    const v = num(stats, `${fam.scope}.${i}.${fam.field}`);
    if (v === undefined) continue;
    out.push([{ ...base, ...deviceLabels(fam, stats, i) }, v * fam.scale]);
  }
  return out;
}

function deviceLabels(fam: VmMetricFamily, stats: Stats, i: number): Labels {
  if (fam.scope === 'vcpu') {
    const state = num(stats, `vcpu.${i}.state`);
    return { id: String(i), state: (state !== undefined && VCPU_STATES[state]) || 'unknown' };
  }
  return { device: String(stats[`${fam.scope}.${i}.name`] ?? i) };
}
