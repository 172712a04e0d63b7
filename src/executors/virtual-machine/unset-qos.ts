/** UnsetQoS: remove the QoS row of the NIC `vmmac` with this type, rule and priority (gone = no-op). */
import { lockNames } from '../../lock-names.js';
import { planUnsetQos, unsetQos } from '../../ovn/index.js';
import { recoverOneTransaction } from '../recover-plan.js';
import { defineOperation, type OperationContext, type RecoveryResult } from '../types.js';
import { vmNicPortOn } from './nics.js';
import { UnsetQoS, type UnsetQoSParams } from './params.gen.js';
import { qosOutcome } from './qos.js';

/** The row the request names: the handler removes it, recovery plans its removal again. */
const rowOf = (ctx: OperationContext, p: UnsetQoSParams) => ({
  switchName: p.swName,
  vm: ctx.name,
  mac: p.vmmac,
  type: p.type,
  rule: p.rule,
  priority: p.priority,
});

export const unsetQoS = defineOperation({
  ...UnsetQoS,
  locks: (p) => [lockNames.network(p.swName)],
  async handler(ctx, p) {
    const nb = ctx.services.ovnNb;
    vmNicPortOn(nb, ctx.name, p.vmmac, p.swName);
    const r = await unsetQos(nb, rowOf(ctx, p));
    return qosOutcome(ctx, p.swName, r.value.removed ? 'QoS removed' : 'no such QoS (nothing to remove)');
  },
  /** One Northbound transaction: the row gone = finished, else nothing was written. */
  recover: (ctx, p): Promise<RecoveryResult> =>
    recoverOneTransaction(ctx, p, () => planUnsetQos(ctx.services.ovnNb, rowOf(ctx, p)), unsetQoS.handler),
});
