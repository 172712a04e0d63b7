/**
 * libvirt domain state → the uni-virt `spec.powerstate` word and the VM success status.
 * Clients (the Java SDK, printer columns) only know Running|Paused|Shutdown|Crashed|Unknown.
 */

export type PowerState = 'Running' | 'Paused' | 'Shutdown' | 'Crashed' | 'Unknown';

/** VIR_DOMAIN_* state numbers (virDomainState). */
export const DomainState = {
  NOSTATE: 0,
  RUNNING: 1,
  BLOCKED: 2,
  PAUSED: 3,
  SHUTDOWN: 4, // being shut down
  SHUTOFF: 5,
  CRASHED: 6,
  PMSUSPENDED: 7,
} as const;

export function powerStateOf(state: number): PowerState {
  switch (state) {
    case DomainState.RUNNING:
    case DomainState.BLOCKED:
      return 'Running';
    case DomainState.PAUSED:
    case DomainState.PMSUSPENDED:
      return 'Paused';
    // A domain "being shut down" still runs; uni-virt reported it as Running as well.
    case DomainState.SHUTDOWN:
      return 'Running';
    case DomainState.SHUTOFF:
      return 'Shutdown';
    case DomainState.CRASHED:
      return 'Crashed';
    default:
      return 'Unknown';
  }
}

/** `spec.status` as uni-virt writes it for a VM whose operation succeeded (or whose state changed). */
export function vmStatus(power: PowerState): Record<string, unknown> {
  return { conditions: { state: { waiting: { reason: power, message: `The VM is ${power}` } } } };
}

/** `spec.status` of a storage object after a successful operation. */
export function readyStatus(): Record<string, unknown> {
  return { conditions: { state: { waiting: { reason: 'Ready', message: 'The resource is ready.' } } } };
}
