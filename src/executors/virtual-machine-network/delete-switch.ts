/**
 * DeleteSwitch: the whole bundle (switch, its router with ports/NAT/routes, DHCP row, rows it owns
 * on other switches) in ONE transaction; refuses while VM ports remain. This host's bridge mapping
 * of the provider network is dropped once no switch uses it.
 */
import { UnsupportedError } from '../../errors.js';
import {
  deleteSwitch,
  physnetInUse,
  physnetOf,
  planDeleteSwitch,
  setBridgeMapping,
} from '../../ovn/index.js';
import { recoverOneTransaction } from '../recover-plan.js';
import { defineOperation, type RecoveryResult } from '../types.js';
import { DeleteSwitch } from './params.gen.js';
import { deletedOutcome, nbOf, ovsOf } from './shared.js';

export const deleteSwitchOp = defineOperation({
  ...DeleteSwitch,
  async handler(ctx, params) {
    if (params.ipv6) throw new UnsupportedError('ipv6: IPv6 switches are not supported on this agent yet');
    const nb = nbOf(ctx);
    const r = await deleteSwitch(nb, ctx.name);
    const physnets = new Set(r.physnets);
    if (params.bridge !== undefined) physnets.add(physnetOf(params.bridge));
    for (const physnet of physnets) {
      if (physnet.startsWith('kst-') && !physnetInUse(nb, physnet)) {
        await setBridgeMapping(ovsOf(ctx), physnet, undefined, ctx.log);
      }
    }
    return deletedOutcome(`Switch '${ctx.name}'`);
  },
  /**
   * One Northbound transaction: the switch gone = finished (the replay drops this host's unused
   * bridge mapping, idempotent), else nothing was written.
   */
  recover: (ctx, params): Promise<RecoveryResult> =>
    recoverOneTransaction(ctx, params, () => planDeleteSwitch(nbOf(ctx), ctx.name), deleteSwitchOp.handler),
});
