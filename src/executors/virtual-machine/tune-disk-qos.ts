/**
 * TuneDiskQoS: block I/O limits of one disk, live and/or in the definition (libvirt's block I/O
 * tune), read back from libvirt into the result message. 0 removes a limit.
 */
import { NotFoundError } from '../../errors.js';
import { diskByTarget } from '../../libvirt/domain-xml/index.js';
import { DomainXMLFlags, param, paramsToObject } from '../../libvirt/index.js';
import { defineOperation } from '../types.js';
import { affectedText, affectFlags, affectsConfig, affectsLive } from './affect.js';
import { domainState, isActiveState, lookupDomain } from './domains.js';
import { TuneDiskQoS } from './params.gen.js';
import { recoverChange } from './recover-config.js';
import { libvirtOf, vmOutcome } from './shared.js';

const KEYS = [
  'total_bytes_sec',
  'read_bytes_sec',
  'write_bytes_sec',
  'total_iops_sec',
  'read_iops_sec',
  'write_iops_sec',
] as const;

export const tuneDiskQoS = defineOperation({
  ...TuneDiskQoS,
  async handler(ctx, p) {
    const lv = libvirtOf(ctx);
    const dom = await lookupDomain(lv, ctx.name);
    const flags = affectFlags(p, isActiveState(await domainState(lv, dom)));
    const xml = await lv.domainGetXMLDesc(dom, affectsLive(flags) ? 0 : DomainXMLFlags.INACTIVE);
    if (!diskByTarget(xml, p.device)) {
      throw new NotFoundError(`disk of VM '${ctx.name}'`, p.device, { details: { field: 'device' } });
    }
    const params = KEYS.filter((k) => p[k] !== undefined).map((k) => param.ullong(k, p[k] as number));
    await lv.domainSetBlockIoTune(dom, p.device, params, flags);
    const now = paramsToObject(await lv.domainGetBlockIoTune(dom, p.device, affectsLive(flags) ? 1 : 2));
    const shown = KEYS.map((k) => `${k}=${now[k] ?? 0}`).join(', ');
    return vmOutcome(ctx, dom, `disk ${p.device} limits ${shown}, ${affectedText(flags)}`);
  },
  /** Every asked limit is libvirt's, live and/or defined (one call sets both). */
  recover: (ctx, p) =>
    recoverChange(
      ctx,
      async (lv, dom) => {
        const flags = affectFlags(p, isActiveState(await domainState(lv, dom)));
        const asked = KEYS.filter((k) => p[k] !== undefined);
        const holds = async (which: number) => {
          const now = paramsToObject(await lv.domainGetBlockIoTune(dom, p.device, which));
          return asked.every((k) => Number(now[k] ?? 0) === p[k]);
        };
        return [
          ...(affectsLive(flags) ? [await holds(1)] : []),
          ...(affectsConfig(flags) ? [await holds(2)] : []),
        ];
      },
      `disk ${p.device} limits`,
    ),
});
