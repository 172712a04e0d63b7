/**
 * InjectSshKey: appends a public key to a guest account's authorized_keys, inside the running
 * guest through qemu-guest-agent (a key already there is not added twice).
 */
import { DomainAuthorizedSshKeysFlags, type DomainRef, LibvirtError } from '../../libvirt/index.js';
import { defineOperation } from '../types.js';
import { type Libvirt, lookupDomain } from './domains.js';
import { requireGuestAgent, viaGuestAgent } from './guest-agent.js';
import { InjectSshKey } from './params.gen.js';
import { recoverChange } from './recover-config.js';
import { libvirtOf, vmOutcome } from './shared.js';

/** The user's authorized keys (none yet without an authorized_keys file). */
async function keysOf(lv: Libvirt, dom: DomainRef, user: string): Promise<string[]> {
  return lv.domainAuthorizedSSHKeysGet(dom, user, 0).catch((err: unknown) => {
    if (err instanceof LibvirtError && /no such file|not exist/i.test(err.libvirtMessage)) return [];
    throw err;
  });
}

export const injectSshKey = defineOperation({
  ...InjectSshKey,
  async handler(ctx, p) {
    const lv = libvirtOf(ctx);
    const dom = await lookupDomain(lv, ctx.name);
    await requireGuestAgent(lv, dom);
    const key = p.ssh_key.trim();
    await viaGuestAgent(dom, `adding an ssh key for '${p.user}'`, async () => {
      const have = await keysOf(lv, dom, p.user);
      if (!have.some((k) => k.trim() === key)) {
        await lv.domainAuthorizedSSHKeysSet(dom, p.user, [key], DomainAuthorizedSshKeysFlags.SET_APPEND);
      }
    });
    return vmOutcome(ctx, dom, `ssh key added for guest user '${p.user}'`);
  },
  /** The key is in the user's authorized_keys, read by the guest agent (one append call). */
  recover: (ctx, p) =>
    recoverChange(
      ctx,
      async (lv, dom) => [(await keysOf(lv, dom, p.user)).some((k) => k.trim() === p.ssh_key.trim())],
      `ssh key added for guest user '${p.user}'`,
    ),
});
