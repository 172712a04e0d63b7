/** ModifyACL: change the verdict of an existing ACL (same type, rule, priority) in place. */
import { NotFoundError } from '../../errors.js';
import { lockNames } from '../../lock-names.js';
import { planAddAcl } from '../../ovn/index.js';
import { recoverOneTransaction } from '../recover-plan.js';
import { defineOperation, type RecoveryResult } from '../types.js';
import { findAcl, writeAcl } from './acls.js';
import { ModifyACL } from './params.gen.js';

export const modifyACL = defineOperation({
  ...ModifyACL,
  locks: (p) => [lockNames.network(p.swName)],
  async handler(ctx, p) {
    const nb = ctx.services.ovnNb;
    if (!findAcl(nb, ctx.name, p)) {
      throw new NotFoundError(
        `ACL of VM '${ctx.name}'`,
        `${p.type} ${p.rule} (priority ${p.priority ?? 100})`,
        {
          details: { field: 'rule' },
        },
      );
    }
    return writeAcl(ctx, p, 'ACL modified', 'ACL already as requested');
  },
  /** One Northbound transaction: the ACL with this verdict present = finished, else nothing was written. */
  recover: (ctx, p): Promise<RecoveryResult> =>
    recoverOneTransaction(
      ctx,
      p,
      () =>
        planAddAcl(ctx.services.ovnNb, {
          vm: ctx.name,
          type: p.type,
          rule: p.rule,
          operator: p.operator,
          priority: p.priority,
        }),
      modifyACL.handler,
    ),
});
