/** ModifyAddress: replaces the address set's addresses (one guarded update). */
import { modifyAddress, planModifyAddress } from '../../ovn/index.js';
import { recoverOneTransaction } from '../recover-plan.js';
import { defineOperation, type RecoveryResult } from '../types.js';
import { ModifyAddress } from './params.gen.js';
import { addressOutcome, nbOf } from './shared.js';

export const modifyAddressOp = defineOperation({
  ...ModifyAddress,
  async handler(ctx, params) {
    return addressOutcome(await modifyAddress(nbOf(ctx), ctx.name, params.address));
  },
  /** One Northbound transaction: the set as asked = finished, else nothing was written. */
  recover: (ctx, params): Promise<RecoveryResult> =>
    recoverOneTransaction(
      ctx,
      params,
      () => planModifyAddress(nbOf(ctx), ctx.name, params.address),
      modifyAddressOp.handler,
    ),
});
