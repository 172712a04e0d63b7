/**
 * JSON-RPC 1.0 over one stream socket, as ovsdb-server speaks it: requests carry a non-null id,
 * notifications a null id, and the server's `echo` requests are answered here. Replies are matched
 * to calls by id; a per-call `onResult` hook runs synchronously in message order, which keeps a
 * monitor's initial snapshot ahead of the updates that follow it on the wire.
 */
import type { Socket } from 'node:net';
import { KubestackError } from '../errors.js';
import type { Logger } from '../log.js';
import { OvsdbUnavailableError } from './errors.js';
import { JsonStreamSplitter } from './json-stream.js';

export interface CallOptions {
  /** Runs synchronously when the reply arrives, before any later message is handled. */
  onResult?: (result: unknown) => void;
}

interface Pending {
  method: string;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  onResult: ((result: unknown) => void) | undefined;
}

export type NotificationHandler = (method: string, params: unknown[]) => void;

interface Message {
  id?: unknown;
  method?: unknown;
  params?: unknown;
  result?: unknown;
  error?: unknown;
}

/** An error member of a JSON-RPC reply (not a transact op error: those come inside `result`). */
export class OvsdbRpcError extends KubestackError {
  constructor(method: string, error: unknown) {
    const text =
      typeof error === 'string'
        ? error
        : typeof error === 'object' && error !== null && 'error' in error
          ? String((error as { error: unknown }).error)
          : JSON.stringify(error);
    super('OvsdbError', `OVSDB ${method} failed: ${text}`, { details: { method, rpcError: error } });
  }
}

export class JsonRpcConnection {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly splitter = new JsonStreamSplitter();
  private closed = false;
  /** Time of the last byte received, for the inactivity probe. */
  lastReceived = Date.now();

  constructor(
    private readonly socket: Socket,
    private readonly log: Logger,
    private readonly onNotification: NotificationHandler,
    private readonly onClose: (err: Error) => void,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (err) => this.shutdown(err));
    socket.on('close', () => this.shutdown(new OvsdbUnavailableError('OVSDB connection closed')));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  call(method: string, params: unknown[], opts: CallOptions = {}): Promise<unknown> {
    if (this.closed) return Promise.reject(new OvsdbUnavailableError(`OVSDB not connected (${method})`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { method, resolve, reject, onResult: opts.onResult });
      this.write({ method, params, id });
    });
  }

  notify(method: string, params: unknown[]): void {
    if (!this.closed) this.write({ method, params, id: null });
  }

  close(): void {
    this.shutdown(new OvsdbUnavailableError('OVSDB connection closed by the client'));
  }

  private write(msg: unknown): void {
    this.socket.write(JSON.stringify(msg));
  }

  private receive(chunk: Buffer): void {
    this.lastReceived = Date.now();
    let messages: unknown[];
    try {
      messages = this.splitter.push(chunk);
    } catch (err) {
      this.shutdown(err as Error);
      return;
    }
    for (const m of messages) this.dispatch(m as Message);
  }

  private dispatch(msg: Message): void {
    if (typeof msg.method === 'string') {
      const params = Array.isArray(msg.params) ? msg.params : [];
      if (msg.id !== null && msg.id !== undefined) {
        // Requests from the server: only echo (its inactivity probe) is defined for clients.
        if (msg.method === 'echo') this.write({ result: params, error: null, id: msg.id });
        else this.write({ result: null, error: 'unknown method', id: msg.id });
        return;
      }
      this.onNotification(msg.method, params);
      return;
    }
    if (typeof msg.id !== 'number') {
      this.log.warn({ id: msg.id }, 'OVSDB reply with an unknown id');
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.error !== null && msg.error !== undefined) {
      p.reject(new OvsdbRpcError(p.method, msg.error));
      return;
    }
    try {
      p.onResult?.(msg.result);
    } catch (err) {
      p.reject(err as Error);
      return;
    }
    p.resolve(msg.result);
  }

  private shutdown(err: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
    const lost =
      err instanceof OvsdbUnavailableError
        ? err
        : new OvsdbUnavailableError(`OVSDB connection lost: ${err.message}`, { cause: err });
    for (const p of this.pending.values()) p.reject(lost);
    this.pending.clear();
    this.onClose(lost);
  }
}
