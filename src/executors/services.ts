/**
 * What handlers may call on the host, built once by the agent and shared by every operation.
 * Each layer adds its entry here when it lands (libvirt client, OVSDB clients, storage engine).
 */
export interface Services {
  /** Virt type to define domains with: `kvm`, or `qemu` (TCG) where KVM cannot run a guest OS. */
  readonly virtType: 'kvm' | 'qemu';
}
