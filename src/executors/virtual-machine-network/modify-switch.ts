/**
 * ModifySwitch: DHCP options merged (keys not given are kept), the router port address changed in
 * place, the provider VLAN tag updated, `exclude_ips` kept in step, all in ONE guarded transaction.
 */
import { modifySwitch, planModifySwitch } from '../../ovn/index.js';
import { recoverOneTransaction } from '../recover-plan.js';
import { defineOperation, type RecoveryResult } from '../types.js';
import { ModifySwitch } from './params.gen.js';
import { nbOf, switchOutcome } from './shared.js';

export const modifySwitchOp = defineOperation({
  ...ModifySwitch,
  async handler(ctx, params) {
    const r = await modifySwitch(nbOf(ctx), { name: ctx.name, ...params });
    return switchOutcome(r.state, r.changed);
  },
  /** One Northbound transaction: the switch as asked = finished, else nothing was written. */
  recover: (ctx, params): Promise<RecoveryResult> =>
    recoverOneTransaction(
      ctx,
      params,
      () => planModifySwitch(nbOf(ctx), { name: ctx.name, ...params }),
      modifySwitchOp.handler,
    ),
});
