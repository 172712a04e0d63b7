/**
 * The contract between the agent and the executors: one operation = a parameter schema + a handler.
 *
 * The schema is a TypeBox object schema (JSON Schema): the agent validates requests with it, and the
 * same schema renders the CRD OpenAPI fragments, `kubestack-agent ops` and docs/operations.md.
 * Constraints JSON Schema cannot say (paths confined to allowed roots, the virt-install-style
 * mini-languages) are `check` functions of src/executors/schema.ts attached to the property.
 * Handlers receive parameters that already passed validation, and never see XDR or JSON-RPC:
 * they call src/libvirt, src/ovn and src/storage through `ctx.services`.
 */
import type { Static, TObject } from '@sinclair/typebox';
import type { KindName, KubeObject } from '../kinds.js';
import type { Logger } from '../log.js';
import type { Observation } from './observe.js';
import type { Services } from './services.js';

export interface OperationContext {
  readonly kind: KindName;
  /** metadata.name: the name of the VM, disk, pool, … the operation acts on. */
  readonly name: string;
  readonly namespace: string;
  readonly nodeName: string;
  /** The object as it was when the operation was acknowledged (absent for `kubestack-agent exec`). */
  readonly object: KubeObject | undefined;
  readonly log: Logger;
  /** Aborted when the agent shuts down; long waits must honour it. */
  readonly signal: AbortSignal;
  readonly services: Services;
}

/** What a successful operation reports back into the resource. */
export interface OperationOutcome {
  /** Merged into `spec.<reportField>` of the kind (spec.domain, spec.volume, spec.pool, spec.data, …). */
  report?: Record<string, unknown>;
  /** Other top-level `spec` members to set (e.g. `powerstate`, `type`). */
  spec?: Record<string, unknown>;
  /** Success reason/message for `spec.status.conditions.state.waiting` (defaults per kind). */
  reason?: string;
  message?: string;
  /** The operation removed the thing: delete the CR (deleteVM, deleteDisk, deletePool, …). */
  deleteObject?: boolean;
  /**
   * Labels of the object to set (null removes one), written with the spec members by the one
   * status writer — e.g. autoStartVM's HA label. Never the `host` label (ownership).
   */
  labels?: Record<string, string | null>;
  /**
   * The thing as observation would see it right now, when the handler's last read already is that
   * observation (a VM operation's closing XML read): the agent reports it instead of asking the
   * host again. Kept in memory only: a result replayed from the journal is observed afresh.
   */
  observed?: Observation;
}

export interface OperationSpec<S extends TObject = TObject> {
  readonly kind: KindName;
  /** Canonical name as documented, lowerCamelCase: `createAndStartVMFromISO`, `createSwitch`. */
  readonly name: string;
  /** One line for `ops` and docs. */
  readonly summary: string;
  readonly params: S;
  /** Other spellings clients send for a parameter → the documented name (see the references). */
  readonly aliases?: Readonly<Record<string, string>>;
  /** Names of shared host resources to lock while running (e.g. `disk:/path`), besides the object. */
  // Method syntax on purpose: an OperationSpec<TObject<{…}>> must be assignable to OperationSpec
  // (lists and the registry hold mixed operations), which function-typed properties forbid.
  locks?(params: Static<S>, ctx: OperationContext): string[];
  handler(ctx: OperationContext, params: Static<S>): Promise<OperationOutcome>;
  /**
   * After a crash mid-run, look at the host: report the finished result (`outcome`), or undo what
   * the run made (`undone`: the host is as before, a resubmit works), or `undefined` = unknown.
   * Never repeats the operation; idempotent (it may itself be interrupted and called again).
   */
  recover?(ctx: OperationContext, params: Static<S>): Promise<RecoveryResult>;
}

/** What `OperationSpec.recover` found on the host. */
export type RecoveryResult = { outcome: OperationOutcome } | { undone: true } | undefined;

/** Keeps the schema's static type flowing into the handler's `params`. */
export function defineOperation<S extends TObject>(spec: OperationSpec<S>): OperationSpec<S> {
  return spec;
}
