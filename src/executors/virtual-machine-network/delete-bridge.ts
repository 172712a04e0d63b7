/** DeleteBridge: removes the bridge the agent created (refuses while VM ports are on it). */
import { deleteBridge, planDeleteBridge } from '../../ovn/index.js';
import { recoverOneTransaction } from '../recover-plan.js';
import { defineOperation, type RecoveryResult } from '../types.js';
import { DeleteBridge } from './params.gen.js';
import { deletedOutcome, ovsOf } from './shared.js';

export const deleteBridgeOp = defineOperation({
  ...DeleteBridge,
  locks: () => ['ovs:bridges'],
  async handler(ctx, params) {
    await deleteBridge(ovsOf(ctx), ctx.name, params.nic, ctx.log);
    return deletedOutcome(`Bridge '${ctx.name}'`);
  },
  /** One transaction on the local DB: the bridge gone = finished, else nothing was written. */
  recover: (ctx, params): Promise<RecoveryResult> =>
    recoverOneTransaction(
      ctx,
      params,
      () => planDeleteBridge(ovsOf(ctx), ctx.name, params.nic),
      deleteBridgeOp.handler,
    ),
});
