/**
 * The composition root of the running agent. Start order:
 *   journal → apiserver client → informers (per kind × namespace; the `host` label selector, plus
 *   the `!host` + spec.nodeName fallback) → caches synced (waits, retrying, while the apiserver is
 *   down) → journal recovery → workers (every cached key enqueued once: a level-triggered resync).
 */
import type { Server } from 'node:http';
import { register } from 'prom-client';
import { errorMessage } from '../errors.js';
import { observerFor } from '../executors/observe.js';
import type { Services } from '../executors/services.js';
import { KINDS, type KindName, type KubeObject } from '../kinds.js';
import { createLogger, type Logger } from '../log.js';
import { type Reporters, startReporters } from '../reporters/index.js';
import type { OperationCatalog } from './catalog.js';
import type { AgentConfig } from './config.js';
import { type DispatchDeps, Dispatcher, keyOf, splitKey } from './dispatch.js';
import { type EventSink, KubeEventSink } from './events.js';
import { type CleanupHooks, finalize } from './finalize.js';
import { startHealthServer } from './health-server.js';
import { Informer } from './informer.js';
import { Journal } from './journal.js';
import { KubeClient } from './kube/client.js';
import { NamedLocks, Semaphore } from './locks.js';
import { AgentMetrics } from './metrics.js';
import { inspectHost, observeAndReport } from './observation.js';
import { OwnWrites } from './own-writes.js';
import { WorkQueue } from './queue.js';
import { recoverJournal } from './recovery.js';
import { isOwnedBy, ownedSelector, unlabelledSelector } from './selection.js';
import { buildServices, closeServices } from './services-root.js';
import { StatusWriter } from './status-writer.js';

/** Keys synced at once (acknowledgements, result writes); handlers have their own bound. */
const SYNC_WORKERS = 256;

/** Every cached object is looked at again this often. */
const RESYNC_MS = 5 * 60_000;

export interface AgentOptions {
  config: AgentConfig;
  catalog: OperationCatalog;
  /** Built from the config when absent. */
  services?: Services;
  hooks?: CleanupHooks;
  log?: Logger;
  metrics?: AgentMetrics;
  /** Replaces the apiserver event sink (tests count events this way). */
  events?: EventSink;
  /**
   * Observe the host after operations and on events (default true). The runtime's own tests turn it
   * off: their test-only operations have no host thing to observe.
   */
  observe?: boolean;
  /** Turn libvirt events into queue keys when a libvirt client is present. Default true. */
  reporters?: boolean;
  /** Pipeline timestamps per key (benchmarks). */
  trace?: DispatchDeps['trace'];
}

export class Agent {
  readonly metrics: AgentMetrics;
  readonly queue: WorkQueue;
  private readonly informers = new Map<string, Informer[]>();
  private readonly abort = new AbortController();
  private started = false;
  private server: Server | undefined;
  private dispatcher!: Dispatcher;
  private reporters: Reporters | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private readonly disksOfVm = new Map<string, string[]>();
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
    const seeing = {
      services: this.services,
      writer,
      nodeName: config.nodeName,
      log: this.log,
      onDisks: (key: string, disks: string[]) => this.followDisks(key, disks),
    };
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
      observe: (key, obj) => (observing ? observeAndReport(seeing, key, obj) : Promise.resolve(obj)),
      inspect: (key, obj, known) =>
        observing ? inspectHost(seeing, key, obj, known) : Promise.resolve(undefined),
      ...(this.o.trace ? { trace: this.o.trace } : {}),
    });
    this.finalizeDeps = {
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
          nodeName: config.nodeName,
          object: obj,
          log: this.log.child({ kind, name, operation: 'delete' }),
          signal: this.abort.signal,
          services: this.services,
        };
      },
    };
    if (config.metricsAddr) {
      this.server = await startHealthServer(config.metricsAddr, {
        registries: [this.metrics.registry, register],
        ready: () => this.ready(),
      });
    }
    this.startInformers();
    await Promise.all([...this.informers.values()].flat().map((i) => i.waitForSync()));
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
    this.resyncAll();
    // A periodic level-triggered pass over the cache (no apiserver traffic): anything a missed or
    // failed step left behind is looked at again.
    this.resyncTimer = setInterval(() => this.resyncAll(), RESYNC_MS);
    this.resyncTimer.unref();
    if (this.o.reporters !== false && this.services.libvirt) {
      this.reporters = startReporters({
        libvirt: this.services.libvirt,
        log: this.log,
        sink: {
          domain: (name) => this.enqueueNamed('VirtualMachine', name),
          resync: (reason) => {
            this.log.info({ reason }, 'resync: every object is observed again');
            this.resyncAll();
          },
        },
      });
    }
    this.log.info({ namespaces: config.namespaces, recovered: adopted.length }, 'agent started');
  }

  private finalizeDeps!: Parameters<typeof finalize>[0];

  private startInformers(): void {
    const { config } = this.o;
    for (const info of KINDS) {
      for (const ns of config.namespaces) {
        const common = {
          client: this.client,
          kind: info.kind,
          namespace: ns,
          watchTimeoutSeconds: config.watchTimeoutSeconds,
          watchdogMs: config.watchdogSeconds * 1000,
          log: this.log,
          onEvent: (t: string, obj: KubeObject) => {
            if (!this.started) return;
            const key = keyOf(info.kind, ns, obj.metadata.name);
            if (t === 'ADDED') this.o.trace?.(key, 'seen', performance.now());
            // The echo of our own write changes nothing we would act on: no sync for it.
            if (t === 'MODIFIED' && this.ownWrites.isEcho(key, obj)) return;
            if (t === 'DELETED') {
              this.ownWrites.forget(key);
              // The disks a deleted VM used are free now: their reports follow.
              if (info.kind === 'VirtualMachine') this.followDisks(key, []);
            }
            this.queue.add(key);
          },
          onRestart: (reason: string) => this.metrics.watchRestarts.inc({ kind: info.kind, reason }),
          onConnected: (up: boolean) => this.metrics.connectionUp.set({ target: 'apiserver' }, up ? 1 : 0),
        };
        const list = [new Informer({ ...common, labelSelector: ownedSelector(config.nodeName) })];
        if (config.nodeNameFallback) {
          list.push(
            new Informer({
              ...common,
              labelSelector: unlabelledSelector,
              filter: (obj) => isOwnedBy(obj, config.nodeName),
            }),
          );
        }
        this.informers.set(`${info.kind}/${ns}`, list);
        for (const i of list) i.start();
      }
    }
  }

  getObject(key: string): KubeObject | undefined {
    const { kind, namespace, name } = splitKey(key);
    for (const inf of this.informers.get(`${kind}/${namespace}`) ?? []) {
      const o = inf.get(name);
      if (o) return o;
    }
    return undefined;
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
    const all = [...this.informers.values()].flat();
    const synced = all.filter((i) => i.hasSynced).length;
    const ok = this.started && synced === all.length;
    return { ready: ok, detail: `${ok ? 'ready' : 'not ready'}: ${synced}/${all.length} caches synced` };
  }

  /** Resolves when no work is queued or running (tests and benchmarks). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /**
   * Domains carry no namespace: a domain event goes to the objects of that name in every watched
   * namespace (normally one).
   */
  private enqueueNamed(kind: KindName, name: string): void {
    for (const ns of this.o.config.namespaces) {
      const key = keyOf(kind, ns, name);
      if (this.getObject(key)) this.queue.add(key);
    }
  }

  /** A VM's disks follow it (`spec.volume.vm`): the disks it uses now and the ones it used before. */
  private followDisks(vmKey: string, disks: string[]): void {
    const before = this.disksOfVm.get(vmKey) ?? [];
    if (disks.length > 0) this.disksOfVm.set(vmKey, disks);
    else this.disksOfVm.delete(vmKey);
    const changed = [
      ...disks.filter((d) => !before.includes(d)),
      ...before.filter((d) => !disks.includes(d)),
    ];
    for (const disk of changed) this.enqueueNamed('VirtualMachineDisk', disk);
  }

  private resyncAll(): void {
    for (const [id, infs] of this.informers) {
      for (const inf of infs) for (const obj of inf.list()) this.queue.add(`${id}/${obj.metadata.name}`);
    }
  }

  /**
   * Stops taking work, lets operations in flight finish for up to `graceMs` (then aborts their
   * signal; the journal covers whatever is cut short), and closes everything.
   */
  async stop(graceMs = 90_000): Promise<void> {
    clearInterval(this.resyncTimer);
    this.reporters?.stop();
    await Promise.all([...this.informers.values()].flat().map((i) => i.stop()));
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
