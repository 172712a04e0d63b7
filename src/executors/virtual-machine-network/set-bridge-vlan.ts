/** SetBridgeVlan: adds the VLAN fake bridge `<bridge>-<vlan>` (an internal port tagged `vlan`). */
import { setBridgeVlan } from '../../ovn/index.js';
import { defineOperation } from '../types.js';
import { SetBridgeVlan } from './params.gen.js';
import { bridgeOutcome, ovsOf } from './shared.js';

export const setBridgeVlanOp = defineOperation({
  ...SetBridgeVlan,
  async handler(ctx, params) {
    const r = await setBridgeVlan(ovsOf(ctx), ctx.name, params.vlan, ctx.log);
    return bridgeOutcome(r.state, r.changed);
  },
});
