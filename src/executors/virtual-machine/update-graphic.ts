/**
 * UpdateGraphic: the console type (vnc/spice) and password in the definition; as documented a
 * running VM gets it after a restart. When only the password changes and the type stays, the
 * running console is updated too (update-device), so the password never differs between the two.
 */
import {
  attrOf,
  checkGraphicsPassword,
  deviceElements,
  setGraphics,
} from '../../libvirt/domain-xml/index.js';
import { DomainAffect, DomainXMLFlags } from '../../libvirt/index.js';
import { defineOperation } from '../types.js';
import { domainState, isActiveState, lookupDomain } from './domains.js';
import { updateGraphicsPassword } from './graphics.js';
import { UpdateGraphic } from './params.gen.js';
import { consoleOf, type PartState, recoverChange } from './recover-config.js';
import { libvirtOf, vmOutcome } from './shared.js';

export const updateGraphic = defineOperation({
  ...UpdateGraphic,
  async handler(ctx, p) {
    if (p.password !== undefined) checkGraphicsPassword('password', p.password, p.type);
    const password = p.no_password ? null : p.password;
    const lv = libvirtOf(ctx);
    const dom = await lookupDomain(lv, ctx.name);
    const running = isActiveState(await domainState(lv, dom));
    const liveGraphics = running
      ? deviceElements(await lv.domainGetXMLDesc(dom, 0), 'graphics')[0]
      : undefined;
    const liveType = liveGraphics && attrOf(liveGraphics, 'type');
    const xml = await lv.domainGetXMLDesc(dom, DomainXMLFlags.INACTIVE | DomainXMLFlags.SECURE);
    await lv.domainDefineXMLFlags(setGraphics(xml, p.type, password), 0);
    let when = running ? ' (the running VM gets it at its next start)' : '';
    if (running && liveType === p.type && password !== undefined) {
      const o = { flags: DomainAffect.LIVE, force: false, liveAsked: false };
      if (await updateGraphicsPassword(lv, dom, password ?? undefined, o)) when = ' (the password also live)';
    }
    return vmOutcome(ctx, dom, `console ${p.type}${when}`);
  },
  /**
   * The definition's console has the asked type, with a password or none as asked. The password
   * itself is a secret the journal does not keep: it counts as seen only when the definition's
   * type differs from the running console's (then this request's define wrote both at once).
   */
  recover: (ctx, p) =>
    recoverChange(
      ctx,
      async (lv, dom): Promise<PartState[]> => {
        const xml = (f: number) => lv.domainGetXMLDesc(dom, f | DomainXMLFlags.SECURE);
        const config = consoleOf(await xml(DomainXMLFlags.INACTIVE));
        if (config.type !== p.type) return [false];
        if (p.no_password) return [!config.hasPassword];
        if (p.password === undefined) return [true];
        const running = isActiveState(await domainState(lv, dom));
        const typeChanged = running && consoleOf(await xml(0)).type !== p.type;
        return [typeChanged && config.hasPassword ? true : 'unknown'];
      },
      `console ${p.type}`,
    ),
});
