/**
 * TuneNICQoS: the libvirt bandwidth of a NIC (by MAC), in KiB/s averages; 0 removes a limit.
 * Live and/or persistent as the flags say. libvirt shapes traffic with tc; where the host kernel
 * lacks what it needs (htb, sfq, the police action), the error says so and names the parameter.
 */
import { NotFoundError, ValidationError } from '../../errors.js';
import { DomainAffect, type TypedParam } from '../../libvirt/index.js';
import { defineOperation } from '../types.js';
import { domainState, isActiveState, lookupDomain } from './domains.js';
import { recoverTuneNicQos } from './nic-recovery.js';
import { bandwidthError, domainNics } from './nics.js';
import { TuneNICQoS } from './params.gen.js';
import { nicAffectFlags } from './plug-nic.js';
import { libvirtOf, vmOutcome } from './shared.js';

export const tuneNICQoS = defineOperation({
  ...TuneNICQoS,
  async handler(ctx, p) {
    if (p.inbound === undefined && p.outbound === undefined)
      throw new ValidationError('give inbound and/or outbound (KiB/s; 0 removes the limit)', 'inbound');
    const lv = libvirtOf(ctx);
    const dom = await lookupDomain(lv, ctx.name);
    const running = isActiveState(await domainState(lv, dom));
    const flags = nicAffectFlags(p, running);
    const xml = await lv.domainGetXMLDesc(dom, flags & DomainAffect.LIVE ? 0 : 2);
    if (!domainNics(xml).some((n) => n.mac === p._interface)) {
      throw new NotFoundError(`NIC of VM '${ctx.name}'`, p._interface, { details: { field: '_interface' } });
    }
    const params: TypedParam[] = [];
    if (p.inbound !== undefined) params.push({ field: 'inbound.average', type: 'uint', value: p.inbound });
    if (p.outbound !== undefined) params.push({ field: 'outbound.average', type: 'uint', value: p.outbound });
    try {
      await lv.domainSetInterfaceParameters(dom, p._interface, params, flags);
    } catch (err) {
      throw bandwidthError(err, p);
    }
    return vmOutcome(ctx, dom, `bandwidth of NIC ${p._interface} set`);
  },
  recover: recoverTuneNicQos,
});
