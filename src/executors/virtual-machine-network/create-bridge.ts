/**
 * CreateBridge: an OVS bridge named after the CR with `nic` as uplink and, with `vlan`, a VLAN
 * fake bridge `<name>-<vlan>`, in one transaction on the local DB. Replays converge; a bridge the
 * agent did not create is never taken over. The host's IP configuration is not moved (see docs).
 */
import { createBridge } from '../../ovn/index.js';
import { defineOperation } from '../types.js';
import { CreateBridge } from './params.gen.js';
import { bridgeOutcome, ovsOf } from './shared.js';

export const createBridgeOp = defineOperation({
  ...CreateBridge,
  locks: () => ['ovs:bridges'],
  async handler(ctx, params) {
    const r = await createBridge(ovsOf(ctx), { name: ctx.name, nic: params.nic, vlan: params.vlan }, ctx.log);
    return bridgeOutcome(r.state, r.changed);
  },
});
