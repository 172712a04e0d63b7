/**
 * ManageISO: insert (or update) `source` into the CD-ROM drive `path`, or eject it; eject and
 * insert together are refused. Live through update-device and/or in the definition.
 */
import { defineOperation } from '../types.js';
import { affectedText, affectFlags } from './affect.js';
import { domainState, isActiveState, lookupDomain } from './domains.js';
import { changeMedia, checkMedia, completeMedia, mediaChanged } from './media.js';
import { ManageISO } from './params.gen.js';
import { recoverChange } from './recover-change.js';
import { libvirtOf, vmOutcome } from './shared.js';

export const manageISO = defineOperation({
  ...ManageISO,
  async handler(ctx, p) {
    const source = p.eject ? undefined : await checkMedia(p.source, 'source', p.block);
    const lv = libvirtOf(ctx);
    const dom = await lookupDomain(lv, ctx.name);
    const flags = affectFlags(p, isActiveState(await domainState(lv, dom)));
    const o = { flags, force: p.force, block: p.block, field: 'path' };
    await changeMedia(lv, dom, { target: p.path }, source, o);
    const what = source ? `'${source}' inserted in ${p.path}` : `${p.path} ejected`;
    return vmOutcome(ctx, dom, `${what}, ${affectedText(flags)}`);
  },
  async recover(ctx, p) {
    const source = p.eject ? undefined : await checkMedia(p.source, 'source', p.block);
    return recoverChange(ctx, p, {
      has: (xml) => mediaChanged(xml, { target: p.path }, source),
      complete: completeMedia({ target: p.path }, source, { force: p.force, block: p.block, field: 'path' }),
    });
  },
});
