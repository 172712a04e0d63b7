/** What the VM operations share: the libvirt client of the context and the outcome they report. */
import { DOMAIN_PAUSED_STARTING_UP, DOMAIN_STATE, type DomainRef } from '../../libvirt/index.js';
import { domainXmlToJson } from '../../libvirt/xml-json.js';
import { diskNameOf } from '../../lock-names.js';
import type { NbView } from '../../ovn/index.js';
import type { Observation } from '../observe.js';
import type { OperationContext, OperationOutcome } from '../types.js';
import type { Libvirt } from './domains.js';
import { vmReport } from './report.js';

export function libvirtOf(ctx: OperationContext): Libvirt {
  return ctx.services.libvirt;
}

/**
 * The VM's reported state after an operation: `spec.domain` (JSON of the live XML) and
 * `spec.powerstate`; the status reason/message follow the power state (agent default for VMs).
 * The same read is the observation of the domain as it is now (`observed`), so the agent need not
 * read the domain again to report it.
 */
export async function vmOutcome(
  ctx: OperationContext,
  dom: DomainRef,
  message?: string,
): Promise<OperationOutcome> {
  const lv = libvirtOf(ctx);
  const nb = ctx.services.ovnNb;
  const [xml, st] = await Promise.all([lv.domainGetXMLDesc(dom), lv.domainGetState(dom)]);
  const { domain, powerstate } = vmReport(xml, st.state, nb);
  const observed = vmObservation(dom.name, xml, st.state, st.reason, nb);
  return {
    report: domain,
    spec: { powerstate },
    ...(message ? { message } : {}),
    ...(observed ? { observed } : {}),
  };
}

/**
 * What observation reports of an existing domain (its XML and state as libvirt gave them);
 * undefined while QEMU starts up (paused inside domainCreate: the Started event follows).
 */
export function vmObservation(
  name: string,
  xml: string,
  state: number,
  reason: number,
  nb?: NbView,
): Observation | undefined {
  if (state === DOMAIN_STATE.PAUSED && reason === DOMAIN_PAUSED_STARTING_UP) return undefined;
  const report = vmReport(xml, state, nb);
  const disks = domainDisks(xml)
    .filter((x) => x.device === 'disk' && x.source)
    .map((x) => diskNameOf(x.source as string))
    .filter((n): n is string => n !== undefined);
  const crashed = report.powerstate === 'Crashed';
  const ready: Observation['ready'] = crashed
    ? { status: 'False', reason: 'Crashed', message: `domain '${name}' crashed` }
    : { status: 'True', reason: report.powerstate, message: `The VM is ${report.powerstate}` };
  return { spec: { ...report }, ready, disks };
}

/** One disk of a domain, as its XML says. */
export interface DomainDisk {
  target: string;
  bus: string;
  device: string;
  /** `file` or `block`. */
  type: string;
  source: string | undefined;
  format: string | undefined;
  /** The device alias in a running domain (`virtio-disk1`), the id of device-removed events. */
  alias: string | undefined;
}

type J = Record<string, unknown>;
const obj = (v: unknown): J => (v && typeof v === 'object' && !Array.isArray(v) ? (v as J) : {});
const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));

export function domainDisks(xml: string): DomainDisk[] {
  const devices = obj(domainXmlToJson(xml).devices);
  const list = Array.isArray(devices.disk) ? devices.disk : devices.disk ? [devices.disk] : [];
  return list.map((raw) => {
    const d = obj(raw);
    const target = obj(d.target);
    const source = obj(d.source);
    return {
      target: str(target._dev) ?? '',
      bus: str(target._bus) ?? '',
      device: str(d._device) ?? 'disk',
      type: str(d._type) ?? 'file',
      source: str(source._file) ?? str(source._dev),
      format: str(obj(d.driver)._type),
      alias: str(obj(d.alias)._name),
    };
  });
}
