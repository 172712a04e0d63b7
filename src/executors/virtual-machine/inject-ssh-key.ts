/**
 * InjectSshKey: appends a public key to a guest account's authorized_keys, inside the running
 * guest through qemu-guest-agent (a key already there is not added twice).
 */
import { DomainAuthorizedSshKeysFlags, LibvirtError } from '../../libvirt/index.js';
import { defineOperation } from '../types.js';
import { lookupDomain } from './domains.js';
import { requireGuestAgent, viaGuestAgent } from './guest-agent.js';
import { InjectSshKey } from './params.gen.js';
import { libvirtOf, vmOutcome } from './shared.js';

export const injectSshKey = defineOperation({
  ...InjectSshKey,
  async handler(ctx, p) {
    const lv = libvirtOf(ctx);
    const dom = await lookupDomain(lv, ctx.name);
    await requireGuestAgent(lv, dom);
    const key = p.ssh_key.trim();
    await viaGuestAgent(dom, `adding an ssh key for '${p.user}'`, async () => {
      // A user without an authorized_keys file yet has no keys.
      const have = await lv.domainAuthorizedSSHKeysGet(dom, p.user, 0).catch((err: unknown) => {
        if (err instanceof LibvirtError && /no such file|not exist/i.test(err.libvirtMessage)) return [];
        throw err;
      });
      if (!have.some((k) => k.trim() === key)) {
        await lv.domainAuthorizedSSHKeysSet(dom, p.user, [key], DomainAuthorizedSshKeysFlags.SET_APPEND);
      }
    });
    return vmOutcome(ctx, dom, `ssh key added for guest user '${p.user}'`);
  },
});
