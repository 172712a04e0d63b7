/**
 * The agent's Kubernetes transport: kubeconfig loading, TLS and auth come from
 * @kubernetes/client-node; requests and watch streams are plain HTTPS on one keep-alive agent that
 * we own, so the watch liveness (timeouts, keepalive, aborts) is ours, not the library's.
 */

import type { IncomingMessage } from 'node:http';
import https from 'node:https';
import { createSecureContext } from 'node:tls';
import { KubeConfig } from '@kubernetes/client-node';
import { errorMessage } from '../../errors.js';
import { KubeApiError } from './api-error.js';

export type PatchType = 'merge' | 'json';

export interface RequestOptions {
  body?: unknown;
  /** Content type for PATCH bodies. */
  patch?: PatchType;
  query?: Record<string, string | number | boolean | undefined>;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface KubeClientOptions {
  /** Path of a kubeconfig; else KUBECONFIG / ~/.kube/config / in-cluster, as kubectl does. */
  kubeconfig?: string;
  /** Upper bound on sockets to the apiserver (requests beyond it wait in the agent). */
  maxSockets?: number;
  /** Re-read credentials this often (default 60 s), so rotated tokens are picked up. */
  authRefreshMs?: number;
}

export class KubeClient {
  readonly server: URL;
  private readonly kc: KubeConfig;
  private readonly maxSockets: number;
  private readonly authRefreshMs: number;
  private auth: { agent: https.Agent; headers: Record<string, string>; at: number; tls: string } | undefined;

  constructor(opts: KubeClientOptions = {}) {
    this.kc = new KubeConfig();
    if (opts.kubeconfig) this.kc.loadFromFile(opts.kubeconfig);
    else this.kc.loadFromDefault();
    const cluster = this.kc.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig has no current cluster');
    this.server = new URL(cluster.server);
    this.maxSockets = opts.maxSockets ?? 128;
    this.authRefreshMs = opts.authRefreshMs ?? 60_000;
  }

  private async session(): Promise<{ agent: https.Agent; headers: Record<string, string> }> {
    const now = Date.now();
    if (this.auth && now - this.auth.at < this.authRefreshMs) return this.auth;
    const o: https.RequestOptions = { headers: {} };
    await this.kc.applyToHTTPSOptions(o);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(o.headers ?? {})) if (typeof v === 'string') headers[k] = v;
    if (o.auth) headers.Authorization = `Basic ${Buffer.from(o.auth).toString('base64')}`;
    // Only new TLS material needs a new agent (and new sockets); a rotated token is just a header.
    const tls = [o.ca, o.cert, o.key].map((v) => (v === undefined ? '' : String(v))).join('\u0000');
    if (this.auth && this.auth.tls === tls) {
      this.auth = { ...this.auth, headers, at: now };
      return this.auth;
    }
    const old = this.auth?.agent;
    // One TLS context for every socket of this agent: given only ca/cert/key, Node would parse the
    // certificates and the private key again for each new connection (a burst opens dozens).
    const secureContext = createSecureContext({ ca: o.ca, cert: o.cert, key: o.key });
    const agent = new https.Agent({
      keepAlive: true,
      maxSockets: this.maxSockets,
      secureContext,
      ...(o.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: o.rejectUnauthorized }),
    });
    this.auth = { agent, headers, at: now, tls };
    // Let in-flight requests on the previous agent finish; idle sockets close now.
    if (old) setTimeout(() => old.destroy(), 120_000).unref();
    return this.auth;
  }

  private url(path: string, query?: RequestOptions['query']): URL {
    const u = new URL(path, this.server);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    return u;
  }

  /** One request; resolves with the parsed JSON body, throws KubeApiError on any non-2xx answer. */
  async request<T = unknown>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.open(method, path, opts);
    const text = await readAll(res);
    const status = res.statusCode ?? 0;
    if (status < 200 || status >= 300) throw new KubeApiError(status, method, path, statusMessage(text));
    return (text ? JSON.parse(text) : {}) as T;
  }

  /** Opens a request and returns the response stream unread (for watches); non-2xx throws. */
  async stream(path: string, opts: RequestOptions = {}): Promise<IncomingMessage> {
    const res = await this.open('GET', path, opts);
    const status = res.statusCode ?? 0;
    if (status < 200 || status >= 300) {
      throw new KubeApiError(status, 'GET', path, statusMessage(await readAll(res)));
    }
    return res;
  }

  private async open(method: string, path: string, opts: RequestOptions): Promise<IncomingMessage> {
    const { agent, headers } = await this.session();
    const body = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
    const contentType =
      opts.patch === 'merge'
        ? 'application/merge-patch+json'
        : opts.patch === 'json'
          ? 'application/json-patch+json'
          : 'application/json';
    return new Promise<IncomingMessage>((resolve, reject) => {
      const req = https.request(this.url(path, opts.query), {
        method,
        agent,
        headers: {
          ...headers,
          Accept: 'application/json',
          ...(body ? { 'Content-Type': contentType, 'Content-Length': String(body.length) } : {}),
        },
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      const fail = (err: unknown): void =>
        reject(err instanceof KubeApiError ? err : new KubeApiError(0, method, path, errorMessage(err), err));
      req.on('error', fail);
      if (opts.timeoutMs) req.setTimeout(opts.timeoutMs, () => req.destroy(new Error('request timed out')));
      req.on('socket', (s) => s.setKeepAlive(true, 15_000));
      req.on('response', resolve);
      req.end(body);
    });
  }

  /**
   * Drops every pooled connection (in-flight requests fail and are retried by their callers). Used
   * when a watch went silent: the connections to the apiserver are then suspect as a whole.
   */
  resetConnections(): void {
    const agent = this.auth?.agent;
    if (!agent || !this.auth) return;
    this.auth = { ...this.auth, agent: new https.Agent(agent.options) };
    agent.destroy();
  }

  close(): void {
    this.auth?.agent.destroy();
    this.auth = undefined;
  }
}

function readAll(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

function statusMessage(text: string): string {
  try {
    const s = JSON.parse(text) as { message?: unknown };
    if (typeof s.message === 'string') return s.message;
  } catch {
    // not a Status object
  }
  return text.slice(0, 300);
}
