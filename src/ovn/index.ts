/**
 * Public surface of src/ovn. The agent builds the two handles once (`connectNetworkServices`) and
 * puts them in `Services` (`ovnNb`, `ovs`); handlers call the operation verbs below.
 */
import type { Logger } from '../log.js';
import { connectNorthbound, type NbView } from './nb.js';
import { connectOpenVswitch, type OvsView } from './vswitch.js';

export * from './address-sets.js';
export { OvsdbClient, type OvsdbClientOptions } from './client.js';
export * from './errors.js';
export { ovnIdentifier, physnetOf, switchRowNames } from './names.js';
export { connectNorthbound, NbView } from './nb.js';
export * from './network-ops.js';
export { type Applied, applyPlanned, type Plan } from './txn.js';
export * from './vm-fip.js';
export * from './vm-network.js';
export * from './vm-nic.js';
export { connectOpenVswitch, OvsView } from './vswitch.js';
export * from './vswitch-ops.js';

export interface NetworkServicesOptions {
  /** OVN Northbound remote, e.g. `unix:/var/run/ovn/ovnnb_db.sock` or `tcp:10.0.0.1:6641`. */
  nbRemote: string;
  /** Local Open_vSwitch DB remote, usually `unix:/var/run/openvswitch/db.sock`. */
  ovsRemote: string;
  log?: Logger;
}

/** Connects both databases (replicas filled) for `Services.ovnNb` / `Services.ovs`. */
export async function connectNetworkServices(
  opts: NetworkServicesOptions,
): Promise<{ ovnNb: NbView; ovs: OvsView; close: () => Promise<void> }> {
  const common = opts.log ? { log: opts.log } : {};
  const [ovnNb, ovs] = await Promise.all([
    connectNorthbound({ remote: opts.nbRemote, ...common }),
    connectOpenVswitch({ remote: opts.ovsRemote, ...common }),
  ]);
  return {
    ovnNb,
    ovs,
    close: async () => {
      await Promise.all([ovnNb.client.close(), ovs.client.close()]);
    },
  };
}
