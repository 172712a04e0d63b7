/**
 * Our declarative table of libvirt remote procedures: number, name, argument and result
 * structures. Facts (numbers, field order, widths) come from libvirt's protocol definition; the
 * table itself is ours. Keys are the C API names without `vir`, camelCased.
 */
import { connectProcedures } from './connect.js';
import { domainProcedures } from './domain.js';
import { eventProcedures } from './events.js';
import { blockJobProcedures, snapshotProcedures } from './snapshot.js';
import { statsProcedures } from './stats.js';
import { storageProcedures } from './storage.js';

export const procedures = {
  ...connectProcedures,
  ...domainProcedures,
  ...snapshotProcedures,
  ...blockJobProcedures,
  ...storageProcedures,
  ...statsProcedures,
  ...eventProcedures,
};

export type ProcedureName = keyof typeof procedures;

export { AuthType, DriverFeature } from './connect.js';
export { DomainEventId, eventMessages } from './events.js';
export * from './types.js';
