/**
 * Crash recovery of an operation that is one idempotent OVSDB transaction: the plan of the same
 * change, made now against the host, is empty exactly when the interrupted run committed (the
 * transaction is all or nothing). Then the handler's replay writes nothing and builds the outcome
 * the run would have reported (finishing idempotent host-local steps, as a replay does); otherwise
 * the run wrote nothing and the host is as before.
 */
import type { OperationContext, OperationOutcome, RecoveryResult } from './types.js';

export async function recoverOneTransaction<P>(
  ctx: OperationContext,
  params: P,
  planNow: () => { readonly ops: readonly unknown[] },
  handler: (ctx: OperationContext, params: P) => Promise<OperationOutcome>,
): Promise<RecoveryResult> {
  if (planNow().ops.length > 0) return { undone: true };
  return { outcome: await handler(ctx, params) };
}
