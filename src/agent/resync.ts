/**
 * Full resync: every object of this node, of every kind, is put through the per-key queue again —
 * on start, when libvirtd or the apiserver reconnects (events may have been lost) and every
 * `resyncMinutes`. The per-key sync observes the host and writes only what differs, so a resync of
 * an unchanged host writes nothing. Alongside, a census of the host: domains, pools and switches no
 * object of this node names are counted (`kubestack_agent_unmanaged_host_objects{type}`) and
 * logged — never deleted, never adopted.
 */
import { Counter, Gauge } from 'prom-client';
import { errorMessage } from '../errors.js';
import type { KindName } from '../kinds.js';
import type { Logger } from '../log.js';
import {
  type CensusSources,
  hostThings,
  type KnownNames,
  type Unmanaged,
  unmanaged,
} from '../reporters/census.js';
import type { AgentMetrics } from './metrics.js';

export type ResyncReason = 'start' | 'periodic' | 'libvirt-reconnect' | 'apiserver-reconnect';

export interface ResyncDeps {
  intervalMs: number;
  /** Every cached key of this node. */
  keys: () => string[];
  enqueue: (key: string) => void;
  census: CensusSources;
  /** Names of this node's objects per host thing type. */
  known: () => KnownNames;
  metrics: AgentMetrics;
  log: Logger;
}

/** Informers reconnect one by one: wait this long after the first, then resync once. */
const RECONNECT_SETTLE_MS = 1_000;
/** Names listed in the census log line (the metric has the counts). */
const LOGGED_NAMES = 20;

export class Resync {
  private timer: NodeJS.Timeout | undefined;
  private apiserverDown = false;
  private settle: NodeJS.Timeout | undefined;
  private census: Promise<Unmanaged | undefined> = Promise.resolve(undefined);
  private readonly unmanagedGauge: Gauge<'type'>;
  private readonly runs: Counter<'reason'>;
  /** What the census logged last per type: the same set again is not logged again. */
  private readonly logged = new Map<string, string>();

  constructor(private readonly d: ResyncDeps) {
    const registers = [d.metrics.registry];
    this.unmanagedGauge = new Gauge({
      name: 'kubestack_agent_unmanaged_host_objects',
      help: 'Domains, pools and switches on this host that no object of this node names (never adopted).',
      labelNames: ['type'],
      registers,
    });
    this.runs = new Counter({
      name: 'kubestack_agent_resyncs_total',
      help: 'Full resyncs, by reason (start|periodic|libvirt-reconnect|apiserver-reconnect).',
      labelNames: ['reason'],
      registers,
    });
  }

  /** The first resync now, then one every interval. */
  start(): void {
    this.run('start');
    this.timer = setInterval(() => this.run('periodic'), this.d.intervalMs);
    this.timer.unref();
  }

  /** Every object is queued again; the census runs beside (one at a time). */
  run(reason: ResyncReason): void {
    const keys = this.d.keys();
    this.runs.inc({ reason });
    if (reason !== 'periodic')
      this.d.log.info({ reason, objects: keys.length }, 'resync: every object is observed again');
    for (const key of keys) this.d.enqueue(key);
    this.census = this.census.then(() => this.takeCensus());
  }

  /** The apiserver connection of a watch changed: after an outage, resync once it is back. */
  apiserverConnected(up: boolean): void {
    if (!up) {
      this.apiserverDown = true;
      return;
    }
    if (!this.apiserverDown || this.settle) return;
    this.settle = setTimeout(() => {
      this.settle = undefined;
      this.apiserverDown = false;
      this.run('apiserver-reconnect');
    }, RECONNECT_SETTLE_MS);
    this.settle.unref();
  }

  /** The last census's result (tests; undefined while none finished or it failed). */
  lastCensus(): Promise<Unmanaged | undefined> {
    return this.census;
  }

  stop(): void {
    clearInterval(this.timer);
    clearTimeout(this.settle);
  }

  private async takeCensus(): Promise<Unmanaged | undefined> {
    try {
      const found = unmanaged(await hostThings(this.d.census), this.d.known());
      for (const [type, names] of Object.entries(found)) {
        this.unmanagedGauge.set({ type }, names.length);
        const seen = names.join(' ');
        if (this.logged.get(type) === seen) continue;
        this.logged.set(type, seen);
        if (names.length > 0) {
          this.d.log.info(
            { type, count: names.length, names: names.slice(0, LOGGED_NAMES) },
            `host has ${type}s no object of this node names (not adopted)`,
          );
        }
      }
      return found;
    } catch (err) {
      this.d.log.warn({ err: errorMessage(err) }, 'host census failed');
      return undefined;
    }
  }
}

/** Names of this node's objects per host thing type, from the cached keys of each kind. */
export function knownNames(keysOf: (kind: KindName) => string[]): KnownNames {
  const names = (kind: KindName) => new Set(keysOf(kind).map((k) => k.slice(k.lastIndexOf('/') + 1)));
  return {
    domain: names('VirtualMachine'),
    pool: names('VirtualMachinePool'),
    switch: names('VirtualMachineNetwork'),
  };
}
