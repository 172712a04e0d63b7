/**
 * The composition root of the running agent. Start order: journal → apiserver client → informers
 * (informer-set.ts) → caches synced (waits, retrying, while the apiserver is down) → journal
 * recovery → workers → full resync (resync.ts: now, on reconnects and every resyncMinutes).
 */
import type { Server } from 'node:http';
import { register } from 'prom-client';
import { errorMessage } from '../errors.js';
import { observerFor } from '../executors/observe.js';
import type { Services } from '../executors/services.js';
import type { KindName, KubeObject } from '../kinds.js';
import { createLogger, type Logger } from '../log.js';
import { Dispatcher, splitKey } from './dispatch.js';
import { type EventSink, KubeEventSink } from './events.js';
import { finalize } from './finalize.js';
import { startHealthServer } from './health-server.js';
import { HostStates, reportHostChange } from './host-changes.js';
import { type HostReporting, startHostReporting } from './host-reporting.js';
import type { InformerEventType } from './informer.js';
import { InformerSet } from './informer-set.js';
import { Journal } from './journal.js';
import { KubeClient } from './kube/client.js';
import { NamedLocks, Semaphore } from './locks.js';
import { AgentMetrics } from './metrics.js';
import { inspectAfterOperation, type ObservationDeps, observeAndReport } from './observation.js';
import { OwnWrites } from './own-writes.js';
import { WorkQueue } from './queue.js';
import { recoverJournal } from './recovery.js';
import { knownNames, Resync } from './resync.js';
import { buildServices, closeServices } from './services-root.js';
import { StatusWriter } from './status-writer.js';
import { VmDisks } from './vm-disks.js';

/** Keys synced at once (acknowledgements, result writes); handlers have their own bound. */
const SYNC_WORKERS = 256;

import type { AgentOptions } from './agent-options.js';

export type { AgentOptions };

export class Agent {
  readonly metrics: AgentMetrics;
  readonly queue: WorkQueue;
  private informers!: InformerSet;
  private readonly abort = new AbortController();
  private started = false;
  private server: Server | undefined;
  private dispatcher!: Dispatcher;
  private reporters: HostReporting | undefined;
  private resync!: Resync;
  private readonly hostStates = new HostStates();
  private readonly vmDisks = new VmDisks();
  private readonly ownWrites = new OwnWrites();

  private constructor(
    private readonly o: AgentOptions,
    private readonly log: Logger,
    private readonly client: KubeClient,
    private readonly journal: Journal,
    private readonly services: Services,
  ) {
    this.metrics = o.metrics ?? new AgentMetrics({ defaultMetrics: true });
    this.queue = new WorkQueue({
      // Sync steps (acknowledge, write results) are cheap and run wide; handlers are bounded by
      // the configured concurrency in the dispatcher, so a busy host never delays acknowledgements.
      concurrency: Math.max(o.config.concurrency, SYNC_WORKERS),
      process: (key) => this.process(key),
      backoffMaxMs: 30_000,
      onWait: (ms) => this.metrics.queueWaitSeconds.observe(ms / 1000),
      onDepth: (n) => {
        this.metrics.queueDepth.set(n);
        this.metrics.queueActive.set(this.queue.active);
      },
      onError: (key, err) => {
        this.metrics.queueRetries.inc();
        this.log.warn({ key, err: errorMessage(err) }, 'sync failed; backing off');
      },
    });
  }

  static async start(o: AgentOptions): Promise<Agent> {
    const log = (o.log ?? createLogger(o.config.logLevel)).child({ node: o.config.nodeName });
    const journal = await Journal.open(o.config.journalDir);
    const client = new KubeClient(o.config.kubeconfig ? { kubeconfig: o.config.kubeconfig } : {});
    const services = o.services ?? (await buildServices(o.config));
    const agent = new Agent(o, log, client, journal, services);
    await agent.run();
    return agent;
  }

  private async run(): Promise<void> {
    const { config } = this.o;
    const writer = new StatusWriter(this.client, this.metrics, (obj) => this.ownWrites.remember(obj));
    const events = this.o.events ?? new KubeEventSink(this.client, config.nodeName, this.log);
    const observing = !config.dryRun && this.o.observe !== false;
    const seeing = this.observationDeps(writer, events);
    this.dispatcher = new Dispatcher({
      catalog: this.o.catalog,
      services: this.services,
      journal: this.journal,
      locks: new NamedLocks(),
      handlers: new Semaphore(config.concurrency),
      events,
      writer,
      metrics: this.metrics,
      log: this.log,
      nodeName: config.nodeName,
      signal: this.abort.signal,
      dryRun: config.dryRun,
      getObject: (key) => this.getObject(key),
      observes: (kind) => this.o.observe !== false && observerFor(kind) !== undefined,
      observe: (key, obj, byOperation) =>
        observing ? observeAndReport(seeing, key, obj, byOperation) : Promise.resolve(obj),
      inspect: (key, obj, known) =>
        observing ? inspectAfterOperation(seeing, key, obj, known) : Promise.resolve(undefined),
      ...(this.o.trace ? { trace: this.o.trace } : {}),
    });
    this.finalizeDeps = this.makeFinalizeDeps(writer, events);
    if (config.metricsAddr) {
      this.server = await startHealthServer(config.metricsAddr, {
        registries: [this.metrics.registry, register],
        ready: () => this.ready(),
      });
    }
    this.resync = this.makeResync();
    this.startInformers();
    await this.informers.waitForSync();
    const adopted = await recoverJournal({
      journal: this.journal,
      dispatcher: this.dispatcher,
      catalog: this.o.catalog,
      writer,
      log: this.log,
      getObject: (key) => this.getObject(key),
      makeContext: this.finalizeDeps.makeContext,
    });
    this.started = true;
    for (const key of adopted) this.queue.add(key);
    // A level-triggered pass over the cache (no apiserver reads) now and periodically: anything a
    // missed event or a failed step left behind is looked at again.
    this.resync.start();
    this.startReporters();
    this.log.info({ namespaces: config.namespaces, recovered: adopted.length }, 'agent started');
  }

  /** Host events to queue keys, and per-VM metrics sampled from libvirt (when a client is present). */
  private startReporters(): void {
    if (this.o.reporters === false || !this.services.libvirt) return;
    this.reporters = startHostReporting({
      libvirt: this.services.libvirt,
      registry: this.metrics.registry,
      config: this.o.config,
      informers: this.informers,
      log: this.log,
      sink: {
        domain: (name) => this.enqueueNamed('VirtualMachine', name),
        resync: () => this.resync.run('libvirt-reconnect'),
      },
    });
  }

  private finalizeDeps!: Parameters<typeof finalize>[0];

  private makeFinalizeDeps(writer: StatusWriter, events: EventSink): Parameters<typeof finalize>[0] {
    return {
      writer,
      events,
      hooks: this.o.hooks ?? {},
      busy: (key) => this.dispatcher.busy(key),
      makeContext: (key, obj) => {
        const { kind, namespace, name } = splitKey(key);
        return {
          kind,
          namespace,
          name,
          nodeName: this.o.config.nodeName,
          object: obj,
          log: this.log.child({ kind, name, operation: 'delete' }),
          signal: this.abort.signal,
          services: this.services,
        };
      },
    };
  }

  private makeResync(): Resync {
    const { config } = this.o;
    return new Resync({
      intervalMs: config.resyncMinutes * 60_000,
      keys: () => this.informers.keys(),
      enqueue: (key) => this.queue.add(key),
      census: this.o.observe === false ? {} : this.services,
      known: () => knownNames((kind) => this.informers.keys(kind)),
      metrics: this.metrics,
      log: this.log,
    });
  }

  private startInformers(): void {
    this.informers = new InformerSet({
      client: this.client,
      config: this.o.config,
      log: this.log,
      onEvent: (key, kind, t, obj) => this.onInformerEvent(key, kind, t, obj),
      onRestart: (kind, reason) => this.metrics.watchRestarts.inc({ kind, reason }),
      onConnected: (up) => {
        this.metrics.connectionUp.set({ target: 'apiserver' }, up ? 1 : 0);
        if (this.started) this.resync.apiserverConnected(up);
      },
    });
    this.informers.start();
  }

  private onInformerEvent(key: string, kind: KindName, t: InformerEventType, obj: KubeObject): void {
    if (!this.started) return;
    if (t === 'ADDED') this.o.trace?.(key, 'seen', performance.now());
    // The echo of our own write changes nothing we would act on: no sync for it.
    if (t === 'MODIFIED' && this.ownWrites.isEcho(key, obj)) return;
    if (t === 'DELETED') {
      this.ownWrites.forget(key);
      this.hostStates.forget(key);
      // The disks a deleted VM used are free now: their reports follow.
      if (kind === 'VirtualMachine') this.followDisks(key, []);
    }
    this.queue.add(key);
  }

  getObject(key: string): KubeObject | undefined {
    return this.informers.get(key);
  }

  private async process(key: string) {
    const obj = this.getObject(key);
    if (obj?.metadata.deletionTimestamp && !this.dispatcher.busy(key)) {
      return finalize(this.finalizeDeps, key, obj);
    }
    const r = await this.dispatcher.sync(key);
    if (!r?.retry) this.queue.forget(key);
    return r;
  }

  ready(): { ready: boolean; detail: string } {
    const { synced, total } = this.informers.synced();
    const ok = this.started && synced === total;
    return { ready: ok, detail: `${ok ? 'ready' : 'not ready'}: ${synced}/${total} caches synced` };
  }

  /** Resolves when no work is queued or running (tests and benchmarks). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /** Domains carry no namespace: a domain event goes to the objects of that name in every namespace. */
  private enqueueNamed(kind: KindName, name: string): void {
    for (const key of this.informers.keysNamed(kind, name)) this.queue.add(key);
  }

  private followDisks(vmKey: string, disks: string[]): void {
    for (const disk of this.vmDisks.follow(vmKey, disks)) this.enqueueNamed('VirtualMachineDisk', disk);
  }

  /** A full resync now (tests and benchmarks; the agent runs its own on start, reconnects and timer). */
  resyncNow(): Promise<unknown> {
    this.resync.run('periodic');
    return this.resync.lastCensus();
  }

  private observationDeps(writer: StatusWriter, events: EventSink): ObservationDeps {
    return {
      services: this.services,
      writer,
      nodeName: this.o.config.nodeName,
      log: this.log,
      onDisks: (key, disks) => this.followDisks(key, disks),
      states: this.hostStates,
      onChange: (obj, change) => reportHostChange(this.log, events, obj, change),
    };
  }

  /**
   * Stops taking work, lets operations in flight finish for up to `graceMs` (then aborts their
   * signal; the journal covers whatever is cut short), and closes everything.
   */
  async stop(graceMs = 90_000): Promise<void> {
    this.resync?.stop();
    await this.reporters?.stop();
    await this.informers.stop();
    const drained = this.queue.shutdown();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([drained, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    this.abort.abort();
    await drained;
    await this.journal.close();
    await closeServices(this.services);
    this.client.close();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    this.log.info('agent stopped');
  }
}
