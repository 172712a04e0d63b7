/**
 * libvirt domain state → the uni-virt `spec.powerstate` word.
 * Clients (the Java SDK, printer columns) only know Running|Paused|Shutdown|Crashed|Unknown.
 */
import { DOMAIN_STATE } from '../../libvirt/index.js';

export type PowerState = 'Running' | 'Paused' | 'Shutdown' | 'Crashed' | 'Unknown';

export function powerStateOf(state: number): PowerState {
  switch (state) {
    case DOMAIN_STATE.RUNNING:
    case DOMAIN_STATE.BLOCKED:
      return 'Running';
    case DOMAIN_STATE.PAUSED:
    case DOMAIN_STATE.PMSUSPENDED:
      return 'Paused';
    // A domain "being shut down" still runs; uni-virt reported it as Running as well.
    case DOMAIN_STATE.SHUTDOWN:
      return 'Running';
    case DOMAIN_STATE.SHUTOFF:
      return 'Shutdown';
    case DOMAIN_STATE.CRASHED:
      return 'Crashed';
    default:
      return 'Unknown';
  }
}
