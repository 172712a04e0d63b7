/** EjectISO: empties the CD-ROM drive that holds the ISO `path`, live and/or in the definition. */
import { confinePath } from '../../paths.js';
import { defineOperation } from '../types.js';
import { affectedText, affectFlags } from './affect.js';
import { domainState, isActiveState, lookupDomain } from './domains.js';
import { changeMedia, completeMedia, mediaChanged } from './media.js';
import { EjectISO } from './params.gen.js';
import { recoverChange } from './recover-change.js';
import { libvirtOf, vmOutcome } from './shared.js';

export const ejectISO = defineOperation({
  ...EjectISO,
  async handler(ctx, p) {
    const source = confinePath(p.path, 'path');
    const lv = libvirtOf(ctx);
    const dom = await lookupDomain(lv, ctx.name);
    const flags = affectFlags(p, isActiveState(await domainState(lv, dom)));
    const o = { flags, force: p.force, block: p.block, field: 'path' };
    const target = await changeMedia(lv, dom, { source }, undefined, o);
    return vmOutcome(ctx, dom, `${target} ejected, ${affectedText(flags)}`);
  },
  recover(ctx, p) {
    const source = confinePath(p.path, 'path');
    return recoverChange(ctx, p, {
      has: (xml) => mediaChanged(xml, { source }, undefined),
      complete: completeMedia({ source }, undefined, { force: p.force, block: p.block, field: 'path' }),
    });
  },
});
