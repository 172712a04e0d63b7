/** UnbindPortVlan: clears the access VLAN tag of the VM NIC's tap on this bridge. */
import { unbindPortVlan } from '../../ovn/index.js';
import { defineOperation } from '../types.js';
import { UnbindPortVlan } from './params.gen.js';
import { bridgeOutcome, ovsOf } from './shared.js';

export const unbindPortVlanOp = defineOperation({
  ...UnbindPortVlan,
  async handler(ctx, params) {
    const r = await unbindPortVlan(ovsOf(ctx), ctx.name, params.mac, ctx.log);
    return bridgeOutcome(r.state, r.changed);
  },
});
