/** Every condition reason, event token and fixed message the agent writes, in one place. */

/** The finalizer this agent puts on the objects its node owns. */
export const FINALIZER = 'doslab.io/kubestack-agent';

/** uni-virt's reporting controller name, kept so existing event consumers still match. */
export const REPORTING_CONTROLLER = 'Virtctl';

export const EVENT_DOING = 'Doing';
export const EVENT_DONE = 'Done';

/** Labels carrying the client's event id: the Java SDK's first, uni-virt's own second. */
export const EVENT_ID_LABELS = ['kubestack.label.event.id', 'eventId'] as const;

export const READY_REASON = 'Ready';
export const READY_MESSAGE = 'The resource is ready.';
export const vmMessage = (state: string): string => `The VM is ${state}`;

/** The standard condition type in `status.conditions`. */
export const CONDITION_READY = 'Ready';

export type OperationPhase = 'Running' | 'Succeeded' | 'Failed';

export const unsupportedMessage = (op: string, kind: string): string =>
  `Unsupported command ${op} for ${kind}: not supported on this node yet`;
export const NO_SPEC_MESSAGE = 'the object has no spec';
export const malformedLifecycleMessage = (why: string): string => `malformed spec.lifecycle: ${why}`;
export const restartedDuringMessage = (op: string): string =>
  `agent restarted during ${op}; the operation may have partly run on the host and was not repeated — check the resource and submit it again`;
export const restartedUndoneMessage = (op: string): string =>
  `agent restarted during ${op}; what it had made on the host was undone — submit it again`;
export const restartedBeforeMessage = (op: string): string =>
  `agent restarted before ${op} started; nothing was changed on the host — submit it again`;
