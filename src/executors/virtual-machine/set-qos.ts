/** SetQoS: a rate limit (kbps, burst kbit) on each of the VM's NIC ports on the switch, one transaction. */
import { lockNames } from '../../lock-names.js';
import { defineOperation, type RecoveryResult } from '../types.js';
import { SetQoS } from './params.gen.js';
import { nicMacsOrThrow, recoverQos, writeQos } from './qos.js';

export const setQoS = defineOperation({
  ...SetQoS,
  locks: (p) => [lockNames.network(p.swName)],
  async handler(ctx, p) {
    const nb = ctx.services.ovnNb;
    const macs = nicMacsOrThrow(nb, ctx.name, p.swName);
    return writeQos(ctx, p, macs, 'QoS set');
  },
  recover: (ctx, p): Promise<RecoveryResult> => recoverQos(setQoS.handler)(ctx, p),
});
