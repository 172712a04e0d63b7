/** ModifyACL: change the verdict of an existing ACL (same type, rule, priority) in place. */
import { NotFoundError } from '../../errors.js';
import { lockNames } from '../../lock-names.js';
import { defineOperation, type RecoveryResult } from '../types.js';
import { findAcl, recoverAcl, writeAcl } from './acls.js';
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
  recover: (ctx, p): Promise<RecoveryResult> => recoverAcl(modifyACL.handler)(ctx, p),
});
