/** DeleteAddress: deletes the address set; refused while an ACL match still references `$name`. */
import { deleteAddress } from '../../ovn/index.js';
import { defineOperation } from '../types.js';
import { DeleteAddress } from './params.gen.js';
import { deletedOutcome, nbOf } from './shared.js';

export const deleteAddressOp = defineOperation({
  ...DeleteAddress,
  async handler(ctx) {
    await deleteAddress(nbOf(ctx), ctx.name);
    return deletedOutcome(`Address set '${ctx.name}'`);
  },
});
