/**
 * UnbindFloatingIP: remove the floating IP's NAT row and its address on the router's leg (the leg
 * too when it was the last), one transaction; checked against `vmip` and `vmmac` first. Gone = no-op.
 */
import { lockNames } from '../../lock-names.js';
import { planUnbindFip, unbindFip } from '../../ovn/index.js';
import { recoverOneTransaction } from '../recover-plan.js';
import { defineOperation, type RecoveryResult } from '../types.js';
import { UnbindFloatingIP } from './params.gen.js';

export const unbindFloatingIP = defineOperation({
  ...UnbindFloatingIP,
  locks: (p) => [lockNames.network(p.swName)],
  async handler(ctx, p) {
    const r = await unbindFip(ctx.services.ovnNb, {
      switchName: p.swName,
      fip: p.fip,
      vmIp: p.vmip,
      mac: p.vmmac,
    });
    return {
      message: r.value.removed ? `floating IP ${p.fip} unbound` : `floating IP ${p.fip} was not bound`,
    };
  },
  /** One Northbound transaction: the NAT row gone = finished, else nothing was written. */
  recover: (ctx, p): Promise<RecoveryResult> =>
    recoverOneTransaction(
      ctx,
      p,
      () =>
        planUnbindFip(ctx.services.ovnNb, { switchName: p.swName, fip: p.fip, vmIp: p.vmip, mac: p.vmmac }),
      unbindFloatingIP.handler,
    ),
});
