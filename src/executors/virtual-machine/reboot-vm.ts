/**
 * RebootVM: ask the guest to reboot (ACPI or guest agent, libvirt's choice). Like a shutdown it is
 * a request the guest carries out; libvirt accepting it is what we can report.
 */
import { ValidationError } from '../../errors.js';
import { defineOperation } from '../types.js';
import { domainState, isActiveState, lookupDomain } from './domains.js';
import { RebootVM } from './params.gen.js';
import { libvirtOf, vmOutcome } from './shared.js';

export const rebootVM = defineOperation({
  ...RebootVM,
  async handler(ctx) {
    const lv = libvirtOf(ctx);
    const dom = await lookupDomain(lv, ctx.name);
    if (!isActiveState(await domainState(lv, dom))) {
      throw new ValidationError(`VM '${ctx.name}' is not running; use startVM`);
    }
    await lv.domainReboot(dom, 0);
    return vmOutcome(ctx, dom, 'The VM is Running (reboot requested from the guest)');
  },
});
