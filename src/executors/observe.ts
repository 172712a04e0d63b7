/**
 * Observation: what the host says about one object's thing (a domain, a disk, a pool, a switch),
 * turned into the reported shape of its kind. The agent's per-key sync calls the kind's observer
 * after every operation and on every host event or resync, and writes the result through its one
 * status writer, only when it changed. Observers never write and never change the host.
 *
 * An observation replaces the `spec` members it names (null removes one: no stale copy of a thing
 * that is gone) and sets the Ready condition; it never touches `spec.status`, which holds the last
 * operation's result for uni-virt clients until the next operation.
 */
import type { KindName, KubeObject } from '../kinds.js';
import type { Logger } from '../log.js';
import type { Services } from './services.js';
import { observeVm } from './virtual-machine/observe.js';
import { observeDisk } from './virtual-machine-disk/observe.js';
import { observeNetwork } from './virtual-machine-network/observe.js';
import { observePool } from './virtual-machine-pool/observe.js';

export interface Readiness {
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

export interface Observation {
  /** `spec` members as observed; each replaces the member (null: removes it). */
  spec: Record<string, unknown>;
  ready: Readiness;
  /** VirtualMachineDisk names whose reports depend on this object (the disks a domain uses). */
  disks?: string[];
}

export interface ObserveContext {
  readonly kind: KindName;
  readonly name: string;
  readonly namespace: string;
  readonly object: KubeObject;
  readonly nodeName: string;
  readonly services: Services;
  readonly log: Logger;
}

/** undefined: nothing can be observed now (unknown pool, a moment inside a start); write nothing. */
export type Observer = (ctx: ObserveContext) => Promise<Observation | undefined>;

const OBSERVERS: Partial<Record<KindName, Observer>> = {
  VirtualMachine: observeVm,
  VirtualMachineDisk: observeDisk,
  VirtualMachinePool: observePool,
  VirtualMachineNetwork: observeNetwork,
};

/** The kind's observer; kinds without one are reported by their operations only. */
export function observerFor(kind: KindName): Observer | undefined {
  return OBSERVERS[kind];
}

export const ready = (reason: string, message: string): Readiness => ({ status: 'True', reason, message });
export const notReady = (reason: string, message: string): Readiness => ({
  status: 'False',
  reason,
  message,
});
