/**
 * BindFloatingIP: one `dnat_and_snat` row on the switch's gateway router mapping `fip` to the IP
 * of the VM's NIC, and the router's leg on the outside switch (created with the first floating IP
 * there): one transaction. The NIC is `vmmac` (sent by the SDK), else the VM's only NIC on the
 * switch. A replay is a no-op; a floating IP held by another NIC is refused.
 */
import { ValidationError } from '../../errors.js';
import { lockNames } from '../../lock-names.js';
import { bindFip } from '../../ovn/index.js';
import { defineOperation } from '../types.js';
import { vmMacsOn, vmNicPortOn } from './nics.js';
import { BindFloatingIP } from './params.gen.js';

export const bindFloatingIP = defineOperation({
  ...BindFloatingIP,
  locks: (p) => [lockNames.network(p.swName), lockNames.network(p.outSwName)],
  async handler(ctx, p) {
    const nb = ctx.services.ovnNb;
    let mac = p.vmmac;
    if (mac === undefined) {
      const macs = vmMacsOn(nb, ctx.name, p.swName);
      if (macs.length !== 1) {
        throw new ValidationError(
          `VM '${ctx.name}' has ${macs.length} NICs on switch '${p.swName}': name one with vmmac`,
          'vmmac',
        );
      }
      mac = macs[0] as string;
    }
    vmNicPortOn(nb, ctx.name, mac, p.swName);
    if (p.outSwName === p.swName)
      throw new ValidationError('the outside switch must differ from the VM switch', 'outSwName');
    const r = await bindFip(nb, {
      switchName: p.swName,
      outsideSwitch: p.outSwName,
      mac,
      fip: p.fip,
      vm: ctx.name,
    });
    const what = r.noop ? 'was already bound' : 'bound';
    return {
      message: `floating IP ${p.fip} ${what} to ${r.value.logicalIp} (NIC ${mac}) via '${p.outSwName}'`,
    };
  },
});
