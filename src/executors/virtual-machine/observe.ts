/** VirtualMachine observation: the domain named like the object, as libvirt describes it now. */
import { DOMAIN_PAUSED_STARTING_UP, DOMAIN_STATE } from '../../libvirt/index.js';
import { diskNameOf } from '../../lock-names.js';
import { notReady, type Observation, type ObserveContext, ready } from '../observe.js';
import { describeDomain } from './domains.js';
import { NO_DOMAIN_REPORT, vmReport } from './report.js';
import { domainDisks } from './shared.js';

export async function observeVm(ctx: ObserveContext): Promise<Observation | undefined> {
  const d = await describeDomain(ctx.services.libvirt, ctx.name);
  if (!d) {
    return {
      spec: { ...NO_DOMAIN_REPORT },
      ready: notReady('DomainNotFound', `no domain '${ctx.name}' is defined on ${ctx.nodeName}`),
      disks: [],
    };
  }
  // Paused while QEMU starts up is a moment inside domainCreate; the Started event follows.
  if (d.state === DOMAIN_STATE.PAUSED && d.reason === DOMAIN_PAUSED_STARTING_UP) return undefined;
  const report = vmReport(d.xml, d.state, ctx.services.ovnNb);
  const disks = domainDisks(d.xml)
    .filter((x) => x.device === 'disk' && x.source)
    .map((x) => diskNameOf(x.source as string))
    .filter((n): n is string => n !== undefined);
  const health =
    report.powerstate === 'Crashed'
      ? notReady('Crashed', `domain '${ctx.name}' crashed`)
      : ready(report.powerstate, `The VM is ${report.powerstate}`);
  return { spec: { ...report }, ready: health, disks };
}
