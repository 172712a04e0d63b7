/**
 * LibvirtClient: a pure-TypeScript client of libvirtd's RPC protocol over its unix socket.
 * Typed wrappers are named as libvirt's C API without `vir` (virDomainShutdownFlags →
 * domainShutdownFlags) and take and return plain objects; domains are identified by DomainRef.
 */
import { StatsApi } from './api/stats.js';
import type { LibvirtClientOptions } from './connection.js';

export class LibvirtClient extends StatsApi {
  /**
   * Connects, authenticates (none, or polkit for a local root socket), opens `uri` and
   * starts keepalive. Fails if the first connection cannot be made; later drops reconnect with
   * backoff (unless `reconnect: false`), announced by 'state' events.
   */
  static async connect(opts: LibvirtClientOptions = {}): Promise<LibvirtClient> {
    const client = new LibvirtClient(opts);
    await client.establish();
    return client;
  }
}
