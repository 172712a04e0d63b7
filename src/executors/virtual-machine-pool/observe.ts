/** VirtualMachinePool observation: the pool's record, mount and capacity. */
import { KubestackError } from '../../errors.js';
import { notReady, type Observation, type ObserveContext, ready } from '../observe.js';
import { poolReport } from './report.js';

export async function observePool(ctx: ObserveContext): Promise<Observation | undefined> {
  try {
    const info = await ctx.services.storage.poolInfo(ctx.name);
    const health =
      info.state === 'active'
        ? ready('Active', 'The pool is active.')
        : notReady('Inactive', `pool '${ctx.name}' is not active (not mounted or stopped)`);
    return { spec: { pool: poolReport(info) }, ready: health };
  } catch (err) {
    if (!(err instanceof KubestackError) || err.reason !== 'NotFound') throw err;
    return { spec: {}, ready: notReady('NotFound', err.message) };
  }
}
