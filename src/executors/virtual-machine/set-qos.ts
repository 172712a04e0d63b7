/** SetQoS: a rate limit (kbps, burst kbit) on each of the VM's NIC ports on the switch, one transaction. */
import { lockNames } from '../../lock-names.js';
import { setQosOnNics } from '../../ovn/index.js';
import { defineOperation } from '../types.js';
import { SetQoS } from './params.gen.js';
import { nicMacsOrThrow, qosOutcome } from './qos.js';

export const setQoS = defineOperation({
  ...SetQoS,
  locks: (p) => [lockNames.network(p.swName)],
  async handler(ctx, p) {
    const nb = ctx.services.ovnNb;
    const macs = nicMacsOrThrow(nb, ctx.name, p.swName);
    const base = {
      switchName: p.swName,
      vm: ctx.name,
      type: p.type,
      rule: p.rule,
      rate: p.rate,
      burst: p.burst,
      priority: p.priority,
    };
    const r = await setQosOnNics(nb, base, macs);
    return qosOutcome(ctx, p.swName, r.noop ? 'QoS already as requested' : 'QoS set');
  },
});
