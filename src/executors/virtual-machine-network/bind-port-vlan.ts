/**
 * BindPortVlan: sets the access VLAN tag of the VM NIC's tap (found by libvirt's
 * `external_ids:attached-mac`) on this bridge.
 */
import { ValidationError } from '../../errors.js';
import { bindPortVlan, planPortVlan } from '../../ovn/index.js';
import { recoverOneTransaction } from '../recover-plan.js';
import { defineOperation, type RecoveryResult } from '../types.js';
import { BindPortVlan } from './params.gen.js';
import { bridgeOutcome, ovsOf } from './shared.js';

export const bindPortVlanOp = defineOperation({
  ...BindPortVlan,
  async handler(ctx, params) {
    if (params.vlan === undefined || params.vlan === 0) {
      throw new ValidationError('a VLAN id 1–4094 is needed to bind', 'vlan');
    }
    const r = await bindPortVlan(ovsOf(ctx), ctx.name, params.mac, params.vlan, ctx.log);
    return bridgeOutcome(r.state, r.changed);
  },
  /** One transaction on the local DB: the tag set = finished, else nothing was written. */
  recover: (ctx, params): Promise<RecoveryResult> =>
    recoverOneTransaction(
      ctx,
      params,
      () => planPortVlan(ovsOf(ctx), ctx.name, params.mac, params.vlan),
      bindPortVlanOp.handler,
    ),
});
