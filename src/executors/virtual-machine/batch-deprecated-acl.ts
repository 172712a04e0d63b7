/** BatchDeprecatedACL: remove every ACL of the VM (its port group stays with its NIC ports). */
import { removeAcls } from '../../ovn/index.js';
import { defineOperation } from '../types.js';
import { aclOutcome } from './acls.js';
import { BatchDeprecatedACL } from './params.gen.js';

export const batchDeprecatedACL = defineOperation({
  ...BatchDeprecatedACL,
  async handler(ctx) {
    const r = await removeAcls(ctx.services.ovnNb, ctx.name);
    return aclOutcome(ctx, `${r.value.removed} ACL(s) removed`);
  },
});
