/** InsertISO: puts the ISO `path` into the VM's (first) CD-ROM drive, live and/or in the definition. */
import { defineOperation } from '../types.js';
import { affectedText, affectFlags } from './affect.js';
import { domainState, isActiveState, lookupDomain } from './domains.js';
import { changeMedia, checkMedia, completeMedia, mediaChanged } from './media.js';
import { InsertISO } from './params.gen.js';
import { recoverChange } from './recover-change.js';
import { libvirtOf, vmOutcome } from './shared.js';

export const insertISO = defineOperation({
  ...InsertISO,
  async handler(ctx, p) {
    const source = await checkMedia(p.path, 'path', p.block);
    const lv = libvirtOf(ctx);
    const dom = await lookupDomain(lv, ctx.name);
    const flags = affectFlags(p, isActiveState(await domainState(lv, dom)));
    const o = { flags, force: p.force, block: p.block, field: 'path' };
    const target = await changeMedia(lv, dom, { first: true }, source, o);
    return vmOutcome(ctx, dom, `'${source}' inserted in ${target}, ${affectedText(flags)}`);
  },
  async recover(ctx, p) {
    const source = await checkMedia(p.path, 'path', p.block);
    return recoverChange(ctx, p, {
      has: (xml) => mediaChanged(xml, { first: true }, source),
      complete: completeMedia({ first: true }, source, { force: p.force, block: p.block, field: 'path' }),
    });
  },
});
