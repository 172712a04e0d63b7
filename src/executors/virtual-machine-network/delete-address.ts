/** DeleteAddress: deletes the address set; refused while an ACL match still references `$name`. */
import { deleteAddress, planDeleteAddress } from '../../ovn/index.js';
import { recoverOneTransaction } from '../recover-plan.js';
import { defineOperation, type RecoveryResult } from '../types.js';
import { DeleteAddress } from './params.gen.js';
import { deletedOutcome, nbOf } from './shared.js';

export const deleteAddressOp = defineOperation({
  ...DeleteAddress,
  async handler(ctx) {
    await deleteAddress(nbOf(ctx), ctx.name);
    return deletedOutcome(`Address set '${ctx.name}'`);
  },
  /** One Northbound transaction: the set gone = finished, else nothing was written. */
  recover: (ctx, params): Promise<RecoveryResult> =>
    recoverOneTransaction(ctx, params, () => planDeleteAddress(nbOf(ctx), ctx.name), deleteAddressOp.handler),
});
