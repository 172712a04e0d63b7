/**
 * CreateBridge: an OVS bridge named after the CR with `nic` as uplink and, with `vlan`, a VLAN
 * fake bridge `<name>-<vlan>`, in one transaction on the local DB. Replays converge; a bridge the
 * agent did not create is never taken over. The host's IP configuration is not moved (see docs).
 */
import { createBridge, planCreateBridge } from '../../ovn/index.js';
import { recoverOneTransaction } from '../recover-plan.js';
import { defineOperation, type RecoveryResult } from '../types.js';
import { CreateBridge } from './params.gen.js';
import { bridgeOutcome, ovsOf } from './shared.js';

export const createBridgeOp = defineOperation({
  ...CreateBridge,
  locks: () => ['ovs:bridges'],
  async handler(ctx, params) {
    const r = await createBridge(ovsOf(ctx), { name: ctx.name, nic: params.nic, vlan: params.vlan }, ctx.log);
    return bridgeOutcome(r.state, r.changed);
  },
  /** One transaction on the local DB: the bridge as asked = finished, else nothing was written. */
  recover: (ctx, params): Promise<RecoveryResult> =>
    recoverOneTransaction(
      ctx,
      params,
      () => planCreateBridge(ovsOf(ctx), { name: ctx.name, nic: params.nic, vlan: params.vlan }),
      createBridgeOp.handler,
    ),
});
