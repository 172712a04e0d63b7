/** ModifyAddress: replaces the address set's addresses (one guarded update). */
import { modifyAddress } from '../../ovn/index.js';
import { defineOperation } from '../types.js';
import { ModifyAddress } from './params.gen.js';
import { addressOutcome, nbOf } from './shared.js';

export const modifyAddressOp = defineOperation({
  ...ModifyAddress,
  async handler(ctx, params) {
    return addressOutcome(await modifyAddress(nbOf(ctx), ctx.name, params.address));
  },
});
