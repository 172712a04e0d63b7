/** DelBridgeVlan: removes the VLAN fake bridge `<bridge>-<vlan>`; absent is success. */
import { delBridgeVlan } from '../../ovn/index.js';
import { defineOperation } from '../types.js';
import { DelBridgeVlan } from './params.gen.js';
import { bridgeOutcome, ovsOf } from './shared.js';

export const delBridgeVlanOp = defineOperation({
  ...DelBridgeVlan,
  async handler(ctx, params) {
    const r = await delBridgeVlan(ovsOf(ctx), ctx.name, params.vlan, ctx.log);
    return bridgeOutcome(r.state, r.changed);
  },
});
