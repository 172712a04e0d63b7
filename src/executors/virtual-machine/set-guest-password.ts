/**
 * SetGuestPassword: a guest account's password, set inside the running guest by qemu-guest-agent
 * (libvirt's set-user-password; Linux guests run chpasswd, Windows guests the account API).
 */
import { defineOperation } from '../types.js';
import { lookupDomain } from './domains.js';
import { requireGuestAgent, viaGuestAgent } from './guest-agent.js';
import { SetGuestPassword } from './params.gen.js';
import { libvirtOf, vmOutcome } from './shared.js';

export const setGuestPassword = defineOperation({
  ...SetGuestPassword,
  async handler(ctx, p) {
    const lv = libvirtOf(ctx);
    const dom = await lookupDomain(lv, ctx.name);
    await requireGuestAgent(lv, dom);
    await viaGuestAgent(dom, `setting the password of '${p.user}'`, () =>
      lv.domainSetUserPassword(dom, p.user, p.password, 0),
    );
    return vmOutcome(ctx, dom, `password of guest user '${p.user}' set`);
  },
});
