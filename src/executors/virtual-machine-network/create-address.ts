/**
 * CreateAddress: an Address_Set named after the CR, made OVN-referenceable (`-` → `_`, so ACLs can
 * say `$name`); the reported `addressInfo.name` is the name to use in matches.
 */
import { createAddress } from '../../ovn/index.js';
import { defineOperation } from '../types.js';
import { CreateAddress } from './params.gen.js';
import { addressOutcome, nbOf } from './shared.js';

export const createAddressOp = defineOperation({
  ...CreateAddress,
  async handler(ctx, params) {
    return addressOutcome(await createAddress(nbOf(ctx), ctx.name, params.address));
  },
});
