/** Connection and host information: hostname, versions, capabilities, node info. */

import type { Infer } from '../codec.js';
import { LibvirtConnection } from '../connection.js';
import type { nodeInfo } from '../procedures/connect.js';
import { procedures as P } from '../procedures/index.js';

/** virNodeInfo: memory in KiB. */
export type NodeInfo = Infer<typeof nodeInfo>;

export interface DomainCapabilitiesQuery {
  emulatorbin?: string;
  arch?: string;
  machine?: string;
  virttype?: string;
}

export class NodeApi extends LibvirtConnection {
  connectGetHostname(): Promise<string> {
    return this.call(P.connectGetHostname, undefined);
  }

  connectGetCapabilities(): Promise<string> {
    return this.call(P.connectGetCapabilities, undefined);
  }

  connectGetDomainCapabilities(q: DomainCapabilitiesQuery = {}, flags = 0): Promise<string> {
    return this.call(P.connectGetDomainCapabilities, {
      emulatorbin: q.emulatorbin ?? null,
      arch: q.arch ?? null,
      machine: q.machine ?? null,
      virttype: q.virttype ?? null,
      flags,
    });
  }

  /** Hypervisor version as major * 1,000,000 + minor * 1,000 + release. */
  connectGetVersion(): Promise<number> {
    return this.call(P.connectGetVersion, undefined);
  }

  /** libvirt version as major * 1,000,000 + minor * 1,000 + release. */
  connectGetLibVersion(): Promise<number> {
    return this.call(P.connectGetLibVersion, undefined);
  }

  connectGetUri(): Promise<string> {
    return this.call(P.connectGetUri, undefined);
  }

  nodeGetInfo(): Promise<NodeInfo> {
    return this.call(P.nodeGetInfo, undefined);
  }

  /** Free host memory in bytes. */
  nodeGetFreeMemory(): Promise<number> {
    return this.call(P.nodeGetFreeMemory, undefined);
  }
}
