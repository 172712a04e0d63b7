/** BatchDeprecatedACL: remove every ACL of the VM (its port group stays with its NIC ports). */
import { planRemoveAcls, removeAcls } from '../../ovn/index.js';
import { recoverOneTransaction } from '../recover-plan.js';
import { defineOperation, type RecoveryResult } from '../types.js';
import { aclOutcome } from './acls.js';
import { BatchDeprecatedACL } from './params.gen.js';

export const batchDeprecatedACL = defineOperation({
  ...BatchDeprecatedACL,
  async handler(ctx) {
    const r = await removeAcls(ctx.services.ovnNb, ctx.name);
    return aclOutcome(ctx, `${r.value.removed} ACL(s) removed`);
  },
  /** One Northbound transaction: no ACL left = finished, else nothing was written. */
  recover: (ctx, p): Promise<RecoveryResult> =>
    recoverOneTransaction(
      ctx,
      p,
      () => planRemoveAcls(ctx.services.ovnNb, ctx.name),
      batchDeprecatedACL.handler,
    ),
});
