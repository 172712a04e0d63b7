/**
 * BindFloatingIP: one `dnat_and_snat` row on the switch's gateway router mapping `fip` to the IP
 * of the VM's NIC, and the router's leg on the outside switch (created with the first floating IP
 * there): one transaction. The NIC is `vmmac` (sent by the SDK), else the VM's only NIC on the
 * switch. A replay is a no-op; a floating IP held by another NIC is refused.
 */
import { ValidationError } from '../../errors.js';
import { lockNames } from '../../lock-names.js';
import { type BindFipInput, bindFip, type NbView, planBindFip } from '../../ovn/index.js';
import { recoverOneTransaction } from '../recover-plan.js';
import { defineOperation, type RecoveryResult } from '../types.js';
import { vmMacsOn, vmNicPortOn } from './nics.js';
import { BindFloatingIP, type BindFloatingIPParams } from './params.gen.js';

type FipParams = BindFloatingIPParams;

/** The NIC the floating IP goes to: `vmmac`, else the VM's only NIC on the switch (checked). */
function fipNic(nb: NbView, vm: string, p: FipParams): string {
  let mac = p.vmmac;
  if (mac === undefined) {
    const macs = vmMacsOn(nb, vm, p.swName);
    if (macs.length !== 1) {
      throw new ValidationError(
        `VM '${vm}' has ${macs.length} NICs on switch '${p.swName}': name one with vmmac`,
        'vmmac',
      );
    }
    mac = macs[0] as string;
  }
  vmNicPortOn(nb, vm, mac, p.swName);
  if (p.outSwName === p.swName)
    throw new ValidationError('the outside switch must differ from the VM switch', 'outSwName');
  return mac;
}

const fipInput = (vm: string, p: FipParams, mac: string): BindFipInput => ({
  switchName: p.swName,
  outsideSwitch: p.outSwName,
  mac,
  fip: p.fip,
  vm,
});

export const bindFloatingIP = defineOperation({
  ...BindFloatingIP,
  locks: (p) => [lockNames.network(p.swName), lockNames.network(p.outSwName)],
  async handler(ctx, p) {
    const nb = ctx.services.ovnNb;
    const mac = fipNic(nb, ctx.name, p);
    const r = await bindFip(nb, fipInput(ctx.name, p, mac));
    const what = r.noop ? 'was already bound' : 'bound';
    return {
      message: `floating IP ${p.fip} ${what} to ${r.value.logicalIp} (NIC ${mac}) via '${p.outSwName}'`,
    };
  },
  /** One Northbound transaction: the NAT row and the leg present = finished, else nothing was written. */
  recover: (ctx, p): Promise<RecoveryResult> =>
    recoverOneTransaction(
      ctx,
      p,
      () => planBindFip(ctx.services.ovnNb, fipInput(ctx.name, p, fipNic(ctx.services.ovnNb, ctx.name, p))),
      bindFloatingIP.handler,
    ),
});
