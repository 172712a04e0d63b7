/** DeleteBridge: removes the bridge the agent created (refuses while VM ports are on it). */
import { deleteBridge } from '../../ovn/index.js';
import { defineOperation } from '../types.js';
import { DeleteBridge } from './params.gen.js';
import { deletedOutcome, ovsOf } from './shared.js';

export const deleteBridgeOp = defineOperation({
  ...DeleteBridge,
  locks: () => ['ovs:bridges'],
  async handler(ctx, params) {
    await deleteBridge(ovsOf(ctx), ctx.name, params.nic, ctx.log);
    return deletedOutcome(`Bridge '${ctx.name}'`);
  },
});
