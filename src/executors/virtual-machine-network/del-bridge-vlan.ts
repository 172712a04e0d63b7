/** DelBridgeVlan: removes the VLAN fake bridge `<bridge>-<vlan>`; absent is success. */
import { delBridgeVlan, planDelBridgeVlan } from '../../ovn/index.js';
import { recoverOneTransaction } from '../recover-plan.js';
import { defineOperation, type RecoveryResult } from '../types.js';
import { DelBridgeVlan } from './params.gen.js';
import { bridgeOutcome, ovsOf } from './shared.js';

export const delBridgeVlanOp = defineOperation({
  ...DelBridgeVlan,
  async handler(ctx, params) {
    const r = await delBridgeVlan(ovsOf(ctx), ctx.name, params.vlan, ctx.log);
    return bridgeOutcome(r.state, r.changed);
  },
  /** One transaction on the local DB: the VLAN bridge gone = finished, else nothing was written. */
  recover: (ctx, params): Promise<RecoveryResult> =>
    recoverOneTransaction(
      ctx,
      params,
      () => planDelBridgeVlan(ovsOf(ctx), ctx.name, params.vlan),
      delBridgeVlanOp.handler,
    ),
});
