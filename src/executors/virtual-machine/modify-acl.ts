/** ModifyACL: change the verdict of an existing ACL (same type, rule, priority) in place. */
import { NotFoundError } from '../../errors.js';
import { lockNames } from '../../lock-names.js';
import { addAcl } from '../../ovn/index.js';
import { defineOperation } from '../types.js';
import { aclOutcome, findAcl } from './acls.js';
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
    const r = await addAcl(nb, {
      vm: ctx.name,
      type: p.type,
      rule: p.rule,
      operator: p.operator,
      priority: p.priority,
    });
    return aclOutcome(ctx, r.noop ? 'ACL already as requested' : 'ACL modified');
  },
});
