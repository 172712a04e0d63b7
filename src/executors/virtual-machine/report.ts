/**
 * The one projection of a libvirt domain into a VirtualMachine's reported state: `spec.domain`
 * (its XML as JSON, within what the Java SDK's model can read) and `spec.powerstate`. Operations
 * (vmOutcome) and observation (observe.ts) both use it.
 */
import { domainXmlToJson } from '../../libvirt/xml-json.js';
import type { NbView } from '../../ovn/index.js';
import { fitToSdk, sdkModelOf } from '../../sdk-model.js';
import { withOvnAddresses } from './nic-report.js';
import { type PowerState, powerStateOf } from './power-state.js';

export interface VmReport {
  domain: Record<string, unknown>;
  powerstate: PowerState;
}

/** `spec.domain` of a kind holding a domain (VirtualMachine, VirtualMachineImage). */
export function domainReport(
  kind: 'VirtualMachine' | 'VirtualMachineImage',
  xml: string,
): Record<string, unknown> {
  return (fitToSdk(sdkModelOf(kind), 'domain', domainXmlToJson(xml)) ?? {}) as Record<string, unknown>;
}

/** With `nb`, each NIC bound to an OVN port also reports its switch and address (nic-report.ts). */
export function vmReport(xml: string, state: number, nb?: NbView): VmReport {
  const domain = domainReport('VirtualMachine', xml);
  return { domain: nb ? withOvnAddresses(domain, nb) : domain, powerstate: powerStateOf(state) };
}

/** The members written when no domain exists: no stale copy of one. */
export const NO_DOMAIN_REPORT = { domain: null, powerstate: 'Unknown' } as const;
