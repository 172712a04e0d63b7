/** ShowPool: report the pool's current state, capacity and content into `spec.pool`. */
import { defineOperation } from '../types.js';
import { ShowPool } from './params.gen.js';
import { poolOutcome } from './report.js';

export const showPool = defineOperation({
  ...ShowPool,
  async handler(ctx) {
    return poolOutcome(ctx.services.storage, ctx.name);
  },
});
