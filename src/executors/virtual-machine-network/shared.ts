/** What the VirtualMachineNetwork handlers share: their outcomes and the handles they use. */
import type { AddressSetState, BridgeState, NbView, OvsView, SwitchState } from '../../ovn/index.js';
import type { OperationContext, OperationOutcome } from '../types.js';
import { addressData, bridgeData, switchData } from './report.js';

/** `spec.type` per family, as the original daemon wrote it. */
export const L3_NETWORK = 'l3network';
export const L2_NETWORK = 'l2network';
export const L3_ADDRESS = 'l3address';

export const nbOf = (ctx: OperationContext): NbView => ctx.services.ovnNb;
export const ovsOf = (ctx: OperationContext): OvsView => ctx.services.ovs;

export function switchOutcome(state: SwitchState, changed: boolean): OperationOutcome {
  return {
    report: switchData(state),
    spec: { type: L3_NETWORK },
    reason: 'Ready',
    message: changed ? 'The switch is ready.' : 'The switch was already as requested.',
  };
}

export function bridgeOutcome(state: BridgeState | undefined, changed: boolean): OperationOutcome {
  return {
    ...(state ? { report: bridgeData(state) } : {}),
    spec: { type: L2_NETWORK },
    reason: 'Ready',
    message: changed ? 'The bridge is ready.' : 'The bridge was already as requested.',
  };
}

export function addressOutcome(state: AddressSetState): OperationOutcome {
  return {
    report: addressData(state),
    spec: { type: L3_ADDRESS },
    reason: 'Ready',
    message: `Address set '${state.name}' is ready.`,
  };
}

export const deletedOutcome = (what: string): OperationOutcome => ({
  deleteObject: true,
  reason: 'Deleted',
  message: `${what} deleted.`,
});
