/**
 * DeprecatedACL: remove the VM's ACL given by type, rule and priority; with `rule` left out, every
 * ACL of the VM of that type and/or priority. Removing what is already gone is a no-op.
 */
import { ValidationError } from '../../errors.js';
import { lockNames } from '../../lock-names.js';
import { planRemoveAcl, planRemoveAcls, removeAcl, removeAcls } from '../../ovn/index.js';
import { recoverOneTransaction } from '../recover-plan.js';
import { defineOperation, type RecoveryResult } from '../types.js';
import { aclOutcome, DEFAULT_ACL_PRIORITY } from './acls.js';
import { vmNicPortOn } from './nics.js';
import { DeprecatedACL } from './params.gen.js';

export const deprecatedACL = defineOperation({
  ...DeprecatedACL,
  locks: (p) => [lockNames.network(p.swName)],
  async handler(ctx, p) {
    const nb = ctx.services.ovnNb;
    vmNicPortOn(nb, ctx.name, p.vmmac, p.swName);
    if (p.rule !== undefined && p.type === undefined)
      throw new ValidationError('type (from or to) is required with rule', 'type');
    if (p.rule !== undefined && p.type !== undefined) {
      const priority = p.priority ?? DEFAULT_ACL_PRIORITY;
      const r = await removeAcl(nb, { vm: ctx.name, type: p.type, rule: p.rule, priority });
      return aclOutcome(ctx, r.value.removed ? 'ACL removed' : 'no such ACL (nothing to remove)');
    }
    const r = await removeAcls(nb, ctx.name, { type: p.type, priority: p.priority });
    return aclOutcome(ctx, `${r.value.removed} ACL(s) removed`);
  },
  /** One Northbound transaction: the ACL(s) gone = finished, else nothing was written. */
  recover: (ctx, p): Promise<RecoveryResult> =>
    recoverOneTransaction(
      ctx,
      p,
      () => {
        const nb = ctx.services.ovnNb;
        if (p.rule === undefined || p.type === undefined)
          return planRemoveAcls(nb, ctx.name, { type: p.type, priority: p.priority });
        const priority = p.priority ?? DEFAULT_ACL_PRIORITY;
        return planRemoveAcl(nb, { vm: ctx.name, type: p.type, rule: p.rule, priority });
      },
      deprecatedACL.handler,
    ),
});
