/**
 * The connection to libvirtd: open the unix socket, authenticate, CONNECT_OPEN the URI, keep it
 * alive, reconnect with backoff when it drops, and re-register domain events after every
 * reconnect. The typed procedure wrappers (api/*) build on `call`.
 */
import { EventEmitter } from 'node:events';
import { type Logger, rootLogger } from '../log.js';
import { backoffDelay } from '../timing.js';
import { LibvirtDisconnectedError, LibvirtError } from './errors.js';
import {
  ALL_DOMAIN_EVENT_KINDS,
  ALL_STORAGE_POOL_EVENT_KINDS,
  type DomainEvent,
  type DomainEventKind,
  type DomainEventOf,
  EventRegistry,
  isStoragePoolEvent,
  type LibvirtEvent,
  type RegisterFn,
  type StoragePoolEvent,
  type StoragePoolEventKind,
} from './events.js';
import { Keepalive, KeepaliveProcedure, keepaliveReply } from './keepalive.js';
import { Limiter } from './limiter.js';
import * as metrics from './metrics.js';
import { MessageType, type Packet, Program } from './packet.js';
import { AuthType, DriverFeature, type Procedure, procedures } from './procedures/index.js';
import { callOn, openSocket, registerOn, timed } from './rpc.js';
import { Transport } from './transport.js';

export const DEFAULT_SOCKET_PATH = '/var/run/libvirt/libvirt-sock';
export const DEFAULT_URI = 'qemu:///system';

export interface LibvirtClientOptions {
  /** Default /var/run/libvirt/libvirt-sock (libvirtd or virtproxyd); virtqemud-sock works for domains. */
  socketPath?: string;
  /** Default qemu:///system. */
  uri?: string;
  log?: Logger;
  /** PING after this much silence; 0 disables our pings. Default 5000 (libvirt's own default). */
  keepaliveIntervalMs?: number;
  /** Silent intervals before the daemon is declared dead. Default 5. */
  keepaliveCount?: number;
  /** Reconnect with backoff after the connection drops. Default true. */
  reconnect?: boolean;
  /** First reconnect delay; doubles per failed attempt up to reconnectMaxDelayMs. Default 100. */
  reconnectMinDelayMs?: number;
  /** Default 5000. */
  reconnectMaxDelayMs?: number;
  /** Bound on opening the socket and the handshake. Default 10000. */
  connectTimeoutMs?: number;
  /**
   * How long a call made while disconnected waits for the reconnect before failing Unavailable.
   * Default 5000; 0 fails at once. Calls already in flight when the connection drops always fail.
   */
  readyTimeoutMs?: number;
  /**
   * Long-running calls (Procedure.slow: copies, saves, guest agent, starts) in flight at once;
   * more wait in order. Default 2, well below libvirtd's max_client_requests (5): the daemon stops
   * reading a client with 5 unanswered calls, and would then miss our keepalive answers. Short
   * calls are not capped, so pipelining keeps its throughput. 0 = no cap.
   */
  maxSlowCalls?: number;
}

export type ConnectionState = 'connecting' | 'connected' | 'disconnected' | 'closed';

export interface LibvirtClientEvents {
  state: [ConnectionState];
  event: [DomainEvent];
  'pool-event': [StoragePoolEvent];
}

type ResolvedOptions = Required<Omit<LibvirtClientOptions, 'log'>>;

export class LibvirtConnection extends EventEmitter<LibvirtClientEvents> {
  protected readonly log: Logger;
  private readonly opts: ResolvedOptions;
  private transport: Transport | undefined;
  private keepalive: Keepalive | undefined;
  private readonly registry = new EventRegistry();
  private readonly slowCalls: Limiter;
  private currentState: ConnectionState = 'disconnected';
  private closing = false;
  /** An establish() is running; it schedules the next attempt itself if it fails. */
  private establishing = false;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;

  protected constructor(opts: LibvirtClientOptions = {}) {
    super();
    this.log = opts.log ?? rootLogger.child({ component: 'libvirt' });
    this.opts = {
      socketPath: opts.socketPath ?? DEFAULT_SOCKET_PATH,
      uri: opts.uri ?? DEFAULT_URI,
      keepaliveIntervalMs: opts.keepaliveIntervalMs ?? 5000,
      keepaliveCount: opts.keepaliveCount ?? 5,
      reconnect: opts.reconnect ?? true,
      reconnectMinDelayMs: opts.reconnectMinDelayMs ?? 100,
      reconnectMaxDelayMs: opts.reconnectMaxDelayMs ?? 5000,
      connectTimeoutMs: opts.connectTimeoutMs ?? 10_000,
      readyTimeoutMs: opts.readyTimeoutMs ?? 5000,
      maxSlowCalls: opts.maxSlowCalls ?? 2,
    };
    this.slowCalls = new Limiter(this.opts.maxSlowCalls);
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  /** Calls in flight right now (for metrics and tests). */
  get inFlight(): number {
    return this.transport?.inFlight ?? 0;
  }

  /** Calls one procedure; rejects with LibvirtError (daemon refused) or LibvirtDisconnectedError. */
  call<A, R>(p: Procedure<A, R>, args: A): Promise<R> {
    return p.slow ? this.slowCalls.run(() => this.callNow(p, args)) : this.callNow(p, args);
  }

  private callNow<A, R>(p: Procedure<A, R>, args: A): Promise<R> {
    const t = this.transport;
    if (t) return timed(p.name, callOn(t, p, args));
    const waits = this.opts.reconnect && this.opts.readyTimeoutMs > 0 && !this.closing;
    if (!waits) return Promise.reject(new LibvirtDisconnectedError());
    return this.whenConnected(this.opts.readyTimeoutMs).then(() => this.callNow(p, args));
  }

  /**
   * Subscribes to domain events of these kinds (default: all we decode). They arrive as 'event'
   * and stay subscribed across reconnects without the caller doing anything.
   */
  async subscribeDomainEvents(kinds: readonly DomainEventKind[] = ALL_DOMAIN_EVENT_KINDS): Promise<void> {
    const t = this.transport;
    await this.registry.add(kinds, t ? (family, id) => registerOn(t, family, id) : undefined);
  }

  /** Subscribes to storage pool events; they arrive as 'pool-event', across reconnects too. */
  async subscribeStoragePoolEvents(
    kinds: readonly StoragePoolEventKind[] = ALL_STORAGE_POOL_EVENT_KINDS,
  ): Promise<void> {
    const t = this.transport;
    await this.registry.add(kinds, t ? (family, id) => registerOn(t, family, id) : undefined);
  }

  /** Typed listener for one kind; subscribes to it if needed. Returns the unlisten function. */
  onDomainEvent<K extends DomainEventKind>(kind: K, handler: (e: DomainEventOf<K>) => void): () => void {
    const listener = (e: DomainEvent): void => {
      if (e.kind === kind) handler(e as DomainEventOf<K>);
    };
    this.on('event', listener);
    this.subscribeDomainEvents([kind]).catch((err: unknown) =>
      this.log.warn({ err, kind }, 'libvirt: event registration failed; retried on reconnect'),
    );
    return () => this.off('event', listener);
  }

  /** Resolves once connected (immediately if already), or rejects after `timeoutMs`. */
  whenConnected(timeoutMs = 30_000): Promise<void> {
    if (this.currentState === 'connected') return Promise.resolve();
    if (this.currentState === 'closed') return Promise.reject(new LibvirtDisconnectedError('client closed'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('state', onState);
        reject(new LibvirtDisconnectedError(`not reconnected to libvirtd within ${timeoutMs} ms`));
      }, timeoutMs);
      const onState = (s: ConnectionState): void => {
        if (s !== 'connected' && s !== 'closed') return;
        clearTimeout(timer);
        this.off('state', onState);
        if (s === 'connected') resolve();
        else reject(new LibvirtDisconnectedError('client closed'));
      };
      this.on('state', onState);
    });
  }

  /** Closes the connection for good: no reconnect, pending calls fail. */
  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.reconnectTimer);
    this.keepalive?.stop();
    const t = this.transport;
    this.transport = undefined;
    if (t && !t.isClosed) {
      const bye = callOn(t, procedures.connectClose, undefined).catch(() => undefined);
      await Promise.race([bye, new Promise((r) => setTimeout(r, 1000).unref())]);
      t.destroy();
    }
    this.setState('closed');
  }

  /** Opens a connection and brings it to 'connected' (auth, open, keepalive, events). */
  protected async establish(): Promise<void> {
    this.setState('connecting');
    const socket = await openSocket(this.opts.socketPath, this.opts.connectTimeoutMs);
    const t: Transport = new Transport(socket, {
      onMessage: (p) => this.onMessage(t, p),
      onClose: (err) => this.onTransportClose(t, err),
    });
    const timer = setTimeout(
      () => t.destroy(new Error(`handshake took over ${this.opts.connectTimeoutMs} ms`)),
      this.opts.connectTimeoutMs,
    );
    const register: RegisterFn = (family, id) => registerOn(t, family, id);
    this.establishing = true;
    try {
      await this.handshake(t);
      this.registry.reset();
      await this.registry.ensureAll(register);
      if (this.closing) throw new LibvirtDisconnectedError('client closed');
      this.transport = t;
      // Kinds subscribed while the handshake ran are registered before anyone sees 'connected'.
      await this.registry.ensureAll(register);
    } catch (err) {
      if (this.transport === t) this.transport = undefined;
      t.destroy();
      throw err;
    } finally {
      clearTimeout(timer);
      this.establishing = false;
    }
    this.startKeepalive(t);
    if (this.attempt > 0) metrics.reconnects.inc();
    this.attempt = 0;
    this.setState('connected');
  }

  private async handshake(t: Transport): Promise<void> {
    const types = await callOn(t, procedures.authList, undefined);
    if (!types.includes(AuthType.NONE)) {
      if (!types.includes(AuthType.POLKIT)) {
        throw new LibvirtError({
          code: 45,
          domain: 0,
          level: 2,
          message: `libvirtd offers only auth types [${types.join(', ')}]; SASL is not supported`,
        });
      }
      await callOn(t, procedures.authPolkit, undefined);
    }
    await callOn(t, procedures.connectOpen, { name: this.opts.uri, flags: 0 });
    // Asking about the keepalive feature is what makes the daemon start pinging us.
    await callOn(t, procedures.connectSupportsFeature, DriverFeature.PROGRAM_KEEPALIVE);
  }

  private startKeepalive(t: Transport): void {
    this.keepalive?.stop();
    this.keepalive = new Keepalive({
      intervalMs: this.opts.keepaliveIntervalMs,
      count: this.opts.keepaliveCount,
      lastReceiveAt: () => t.lastReceiveAt,
      sendPing: () => t.send(Program.KEEPALIVE, KeepaliveProcedure.PING),
      onDead: (silentMs) => t.destroy(new Error(`libvirtd silent for ${silentMs} ms (keepalive)`)),
    });
    this.keepalive.start();
  }

  private onMessage(t: Transport, p: Packet): void {
    const { program, procedure, type } = p.header;
    if (program === Program.KEEPALIVE) {
      const reply = keepaliveReply(procedure);
      if (reply !== undefined) t.send(Program.KEEPALIVE, reply);
      return;
    }
    if (program !== Program.REMOTE || type !== MessageType.MESSAGE) return;
    let event: LibvirtEvent | undefined;
    try {
      event = this.registry.decode(procedure, p.body);
    } catch (err) {
      this.log.warn({ err, procedure }, 'libvirt: undecodable event dropped');
      return;
    }
    if (!event) return;
    metrics.events.inc({ kind: event.kind });
    if (isStoragePoolEvent(event)) this.emit('pool-event', event);
    else this.emit('event', event);
  }

  private onTransportClose(t: Transport, err: Error | undefined): void {
    if (this.transport !== t) return; // a handshake that failed; establish() reports it
    this.transport = undefined;
    this.keepalive?.stop();
    if (this.closing) return;
    this.log.warn({ err: err?.message }, 'libvirt: connection lost');
    this.setState('disconnected');
    if (this.opts.reconnect && !this.establishing) this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const base = backoffDelay(this.attempt, this.opts.reconnectMinDelayMs, this.opts.reconnectMaxDelayMs);
    const delay = Math.round(base * (0.5 + Math.random() * 0.5));
    this.attempt++;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.establish().catch((err: unknown) => {
        if (this.closing) return;
        this.log.debug({ err: (err as Error).message, attempt: this.attempt }, 'libvirt: reconnect failed');
        this.setState('disconnected');
        this.scheduleReconnect();
      });
    }, delay);
  }

  private setState(s: ConnectionState): void {
    if (this.currentState === s) return;
    this.currentState = s;
    metrics.connected.set(s === 'connected' ? 1 : 0);
    // Reconnect attempts flap connecting/disconnected; only the outcomes are worth an info line.
    if (s === 'connecting') this.log.debug({ state: s }, 'libvirt: connection state');
    else this.log.info({ state: s }, 'libvirt: connection state');
    this.emit('state', s);
  }
}
