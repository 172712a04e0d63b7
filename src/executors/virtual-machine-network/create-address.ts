/**
 * CreateAddress: an Address_Set named after the CR, made OVN-referenceable (`-` → `_`, so ACLs can
 * say `$name`); the reported `addressInfo.name` is the name to use in matches.
 */
import { createAddress, planCreateAddress } from '../../ovn/index.js';
import { recoverOneTransaction } from '../recover-plan.js';
import { defineOperation, type RecoveryResult } from '../types.js';
import { CreateAddress } from './params.gen.js';
import { addressOutcome, nbOf } from './shared.js';

export const createAddressOp = defineOperation({
  ...CreateAddress,
  async handler(ctx, params) {
    return addressOutcome(await createAddress(nbOf(ctx), ctx.name, params.address));
  },
  /** One Northbound transaction: the set as asked = finished, else nothing was written. */
  recover: (ctx, params): Promise<RecoveryResult> =>
    recoverOneTransaction(
      ctx,
      params,
      () => planCreateAddress(nbOf(ctx), ctx.name, params.address),
      createAddressOp.handler,
    ),
});
