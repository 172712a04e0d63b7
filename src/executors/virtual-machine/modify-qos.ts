/** ModifyQoS: new rate/burst for the VM's existing QoS rows of this type, rule and priority. */
import { NotFoundError } from '../../errors.js';
import { lockNames } from '../../lock-names.js';
import { defineOperation, type RecoveryResult } from '../types.js';
import { ModifyQoS } from './params.gen.js';
import { findQos, nicMacsOrThrow, recoverQos, writeQos } from './qos.js';

export const modifyQoS = defineOperation({
  ...ModifyQoS,
  locks: (p) => [lockNames.network(p.swName)],
  async handler(ctx, p) {
    const nb = ctx.services.ovnNb;
    const macs = nicMacsOrThrow(nb, ctx.name, p.swName);
    if (findQos(nb, ctx.name, p, macs).length === 0) {
      throw new NotFoundError(
        `QoS of VM '${ctx.name}'`,
        `${p.type} ${p.rule} (priority ${p.priority ?? 100})`,
        {
          details: { field: 'rule', hint: 'use setQoS to create it' },
        },
      );
    }
    return writeQos(ctx, p, macs, 'QoS modified');
  },
  recover: (ctx, p): Promise<RecoveryResult> => recoverQos(modifyQoS.handler)(ctx, p),
});
