/** SetBridgeVlan: adds the VLAN fake bridge `<bridge>-<vlan>` (an internal port tagged `vlan`). */
import { planSetBridgeVlan, setBridgeVlan } from '../../ovn/index.js';
import { recoverOneTransaction } from '../recover-plan.js';
import { defineOperation, type RecoveryResult } from '../types.js';
import { SetBridgeVlan } from './params.gen.js';
import { bridgeOutcome, ovsOf } from './shared.js';

export const setBridgeVlanOp = defineOperation({
  ...SetBridgeVlan,
  async handler(ctx, params) {
    const r = await setBridgeVlan(ovsOf(ctx), ctx.name, params.vlan, ctx.log);
    return bridgeOutcome(r.state, r.changed);
  },
  /** One transaction on the local DB: the VLAN bridge present = finished, else nothing was written. */
  recover: (ctx, params): Promise<RecoveryResult> =>
    recoverOneTransaction(
      ctx,
      params,
      () => planSetBridgeVlan(ovsOf(ctx), ctx.name, params.vlan),
      setBridgeVlanOp.handler,
    ),
});
