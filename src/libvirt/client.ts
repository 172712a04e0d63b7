/**
 * LibvirtClient: a pure-TypeScript client of libvirtd's RPC protocol over its unix socket.
 * Typed wrappers are named as libvirt's C API without `vir` (virDomainShutdownFlags →
 * domainShutdownFlags) and take and return plain objects; domains are identified by DomainRef.
 */

import { nextBackoff, sleep } from '../timing.js';
import { StatsApi } from './api/stats.js';
import type { LibvirtClientOptions } from './connection.js';
import { LibvirtDisconnectedError } from './errors.js';

export interface ConnectOptions extends LibvirtClientOptions {
  /**
   * Keep retrying the first connection (daemon not up yet, socket missing) with backoff for this
   * long before failing. Default 0: fail at once. Later drops always reconnect (see `reconnect`).
   */
  waitForDaemonMs?: number;
}

export class LibvirtClient extends StatsApi {
  /**
   * Connects, authenticates (none, or polkit for a local root socket), opens `uri` and
   * starts keepalive. Fails if the first connection cannot be made within `waitForDaemonMs`;
   * later drops reconnect with backoff (unless `reconnect: false`), announced by 'state' events.
   */
  static async connect(opts: ConnectOptions = {}): Promise<LibvirtClient> {
    const client = new LibvirtClient(opts);
    const deadline = Date.now() + (opts.waitForDaemonMs ?? 0);
    let delay = opts.reconnectMinDelayMs ?? 100;
    for (;;) {
      try {
        await client.establish();
        return client;
      } catch (err) {
        const retry = err instanceof LibvirtDisconnectedError && Date.now() + delay <= deadline;
        if (!retry) {
          await client.close();
          throw err;
        }
        await sleep(delay);
        delay = nextBackoff(delay, opts.reconnectMaxDelayMs ?? 5000);
      }
    }
  }
}
