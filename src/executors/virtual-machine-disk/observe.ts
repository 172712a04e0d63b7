/** VirtualMachineDisk observation: the disk in its pool (layout, qemu-img info, the domain using it). */
import { KubestackError } from '../../errors.js';
import { notReady, type Observation, type ObserveContext, ready } from '../observe.js';
import { volumeReport } from './report.js';

/** The pool a disk object lives in: its last report, else the pool its create asked for. */
export function poolOfDisk(spec: Record<string, unknown> | undefined): string | undefined {
  const volume = spec?.['volume'] as Record<string, unknown> | undefined;
  const pool = volume?.['pool'] ?? volume?.['poolname'];
  return typeof pool === 'string' && pool !== '' ? pool : undefined;
}

export async function observeDisk(ctx: ObserveContext): Promise<Observation | undefined> {
  const pool = poolOfDisk(ctx.object.spec);
  if (!pool) return undefined;
  try {
    const info = await ctx.services.storage.diskInfo({ pool, name: ctx.name });
    const type = (ctx.object.spec?.['volume'] as Record<string, unknown> | undefined)?.['type'];
    return {
      spec: { volume: volumeReport(info, typeof type === 'string' ? type : undefined) },
      ready: ready('Ready', info.vm ? `The disk is used by '${info.vm}'.` : 'The disk is ready.'),
    };
  } catch (err) {
    if (!(err instanceof KubestackError) || err.reason !== 'NotFound') throw err;
    // The report stays (a pool that is down keeps its disks); the condition says what is wrong.
    return { spec: {}, ready: notReady('NotFound', err.message) };
  }
}
