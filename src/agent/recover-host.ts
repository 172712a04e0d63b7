/**
 * Crash recovery that looks at the host: for an operation a previous run left `started` in the
 * journal, ask the operation itself (`OperationSpec.recover`) what the host shows. The journal's
 * recovery calls this before it falls back to "restarted during …":
 *   finished → report `outcome` as the operation's success (it completed before the crash);
 *   undone   → report the interruption as a failure; the host is as before, a resubmit works;
 *   unknown  → no hook, or it could not tell (or failed): report the interruption as today.
 */
import { errorMessage } from '../errors.js';
import type { OperationContext, OperationOutcome, OperationSpec } from '../executors/types.js';

export type HostRecovery =
  | { readonly state: 'finished'; readonly outcome: OperationOutcome }
  | { readonly state: 'undone' }
  | { readonly state: 'unknown'; readonly why: string };

export async function recoverOnHost(
  op: OperationSpec,
  ctx: OperationContext,
  params: unknown,
): Promise<HostRecovery> {
  if (!op.recover) return { state: 'unknown', why: `${op.name} has no recovery hook` };
  try {
    const r = await op.recover(ctx, params as never);
    if (r === undefined) return { state: 'unknown', why: `${op.name}: the host does not show the result` };
    if ('outcome' in r) return { state: 'finished', outcome: r.outcome };
    return { state: 'undone' };
  } catch (err) {
    ctx.log.warn({ operation: op.name, err: errorMessage(err) }, 'recovery hook failed');
    return { state: 'unknown', why: `${op.name}: recovery hook failed: ${errorMessage(err)}` };
  }
}
