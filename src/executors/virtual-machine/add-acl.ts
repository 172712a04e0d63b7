/**
 * AddACL: one ACL on the VM's port group (created with the VM's OVN NIC ports if missing), one
 * transaction. A replay is a no-op; the same type/rule/priority with another verdict is refused
 * (that is ModifyACL).
 */
import { AlreadyExistsError } from '../../errors.js';
import { lockNames } from '../../lock-names.js';
import { defineOperation, type RecoveryResult } from '../types.js';
import { findAcl, recoverAcl, writeAcl } from './acls.js';
import { AddACL } from './params.gen.js';

export const addACL = defineOperation({
  ...AddACL,
  locks: (p) => [lockNames.network(p.swName)],
  async handler(ctx, p) {
    const nb = ctx.services.ovnNb;
    const existing = findAcl(nb, ctx.name, p);
    const action = p.operator === 'allow' ? 'allow-related' : 'drop';
    if (existing && existing.action !== action) {
      throw new AlreadyExistsError(`ACL (${existing.action}) of VM '${ctx.name}'`, `${p.type} ${p.rule}`, {
        details: { field: 'operator', hint: 'use modifyACL to change the verdict' },
      });
    }
    return writeAcl(ctx, p, 'ACL added', 'ACL already present');
  },
  recover: (ctx, p): Promise<RecoveryResult> => recoverAcl(addACL.handler)(ctx, p),
});
