/** VirtualMachine observation: the domain named like the object, as libvirt describes it now. */
import { notReady, type Observation, type ObserveContext } from '../observe.js';
import { describeDomain } from './domains.js';
import { NO_DOMAIN_REPORT } from './report.js';
import { vmObservation } from './shared.js';

export async function observeVm(ctx: ObserveContext): Promise<Observation | undefined> {
  const d = await describeDomain(ctx.services.libvirt, ctx.name);
  if (!d) {
    return {
      spec: { ...NO_DOMAIN_REPORT },
      ready: notReady('DomainNotFound', `no domain '${ctx.name}' is defined on ${ctx.nodeName}`),
      disks: [],
    };
  }
  return vmObservation(ctx.name, d.xml, d.state, d.reason, ctx.services.ovnNb);
}
