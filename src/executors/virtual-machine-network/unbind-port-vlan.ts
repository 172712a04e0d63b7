/** UnbindPortVlan: clears the access VLAN tag of the VM NIC's tap on this bridge. */
import { planPortVlan, unbindPortVlan } from '../../ovn/index.js';
import { recoverOneTransaction } from '../recover-plan.js';
import { defineOperation, type RecoveryResult } from '../types.js';
import { UnbindPortVlan } from './params.gen.js';
import { bridgeOutcome, ovsOf } from './shared.js';

export const unbindPortVlanOp = defineOperation({
  ...UnbindPortVlan,
  async handler(ctx, params) {
    const r = await unbindPortVlan(ovsOf(ctx), ctx.name, params.mac, ctx.log);
    return bridgeOutcome(r.state, r.changed);
  },
  /** One transaction on the local DB: the tag cleared = finished, else nothing was written. */
  recover: (ctx, params): Promise<RecoveryResult> =>
    recoverOneTransaction(
      ctx,
      params,
      () => planPortVlan(ovsOf(ctx), ctx.name, params.mac, undefined),
      unbindPortVlanOp.handler,
    ),
});
