/** What the VM operations share: the libvirt client of the context and the outcome they report. */
import type { DomainRef } from '../../libvirt/index.js';
import { domainXmlToJson } from '../../libvirt/xml-json.js';
import type { OperationContext, OperationOutcome } from '../types.js';
import { domainState, type Libvirt } from './domains.js';
import { vmReport } from './report.js';

export function libvirtOf(ctx: OperationContext): Libvirt {
  return ctx.services.libvirt;
}

/**
 * The VM's reported state after an operation: `spec.domain` (JSON of the live XML, OVN NICs with
 * their switch and address) and `spec.powerstate`; the status reason/message follow the power
 * state (agent default for VMs).
 */
export async function vmOutcome(
  ctx: OperationContext,
  dom: DomainRef,
  message?: string,
): Promise<OperationOutcome> {
  const lv = libvirtOf(ctx);
  const [xml, state] = await Promise.all([lv.domainGetXMLDesc(dom), domainState(lv, dom)]);
  const { domain, powerstate } = vmReport(xml, state, ctx.services.ovnNb);
  return { report: domain, spec: { powerstate }, ...(message ? { message } : {}) };
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
