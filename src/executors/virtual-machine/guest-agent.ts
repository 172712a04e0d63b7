/**
 * What the guest operations share: a running VM with a qemu-guest-agent channel, and libvirt's
 * guest-agent errors turned into a message that says what the guest needs.
 */
import { KubestackError, ValidationError } from '../../errors.js';
import { attrOf, deviceElements } from '../../libvirt/domain-xml/index.js';
import { type DomainRef, LibvirtError } from '../../libvirt/index.js';
import { domainState, isActiveState, type Libvirt } from './domains.js';

export const GUEST_AGENT_CHANNEL = 'org.qemu.guest_agent.0';

export async function requireGuestAgent(lv: Libvirt, dom: DomainRef): Promise<void> {
  if (!isActiveState(await domainState(lv, dom))) {
    throw new ValidationError(`VM '${dom.name}' is not running: the guest agent needs a running guest`);
  }
  const channels = deviceElements(await lv.domainGetXMLDesc(dom, 0), 'channel');
  const has = channels.some((c) =>
    c.children.some((t) => t.name === 'target' && attrOf(t, 'name') === GUEST_AGENT_CHANNEL),
  );
  if (!has) {
    throw new KubestackError(
      'Unsupported',
      `VM '${dom.name}' has no guest agent channel (${GUEST_AGENT_CHANNEL}); it is added when the VM is created`,
    );
  }
}

/** Runs a guest-agent call; libvirt's "agent not responding/connected" gets the guest-side cause. */
export async function viaGuestAgent<T>(dom: DomainRef, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof LibvirtError && /agent/i.test(err.libvirtMessage ?? err.message)) {
      throw new KubestackError(
        err.reason,
        `${what} in VM '${dom.name}' failed: the guest agent answered "${err.libvirtMessage ?? err.message}" ` +
          '(qemu-guest-agent must run in the guest)',
        { cause: err },
      );
    }
    throw err;
  }
}
