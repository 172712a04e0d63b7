/**
 * Optimistic concurrency, the way the OVS command-line tools do it: plan from the replica, guard every assumption
 * with a `wait` (timeout 0), transact once; if a guard fails (Conflict), let the replica catch up
 * and plan again, a bounded number of times.
 */

import { sleep } from '../timing.js';
import type { OvsdbClient } from './client.js';
import { TimedOutError } from './errors.js';
import type { Operation, OperationResult } from './protocol.js';
import { isUuid } from './values.js';

/** A planned change: the operations to send, or nothing to do (already as asked). */
export type Plan<T> = { ops: Operation[]; value: T } | { ops: []; value: T };

export interface Applied<T> {
  value: T;
  results: OperationResult[];
  /** The plan was empty: the state was already as asked (idempotent replay). */
  noop: boolean;
}

export async function applyPlanned<T>(
  client: OvsdbClient,
  plan: () => Plan<T>,
  opts: { attempts?: number; comment?: string } = {},
): Promise<Applied<T>> {
  const attempts = opts.attempts ?? 5;
  for (let i = 1; ; i++) {
    const p = await planFresh(client, plan, i === 1);
    if (p.ops.length === 0) return { value: p.value, results: [], noop: true };
    const ops: Operation[] = opts.comment ? [...p.ops, { op: 'comment', comment: opts.comment }] : p.ops;
    try {
      const results = await client.transact(ops);
      await syncInserted(client, ops, results);
      return { value: p.value, results, noop: false };
    } catch (err) {
      if (!(err instanceof TimedOutError) || i >= attempts) throw err;
      // Someone changed what we read. An echo round trip lets pending updates reach the replica.
      await client.echo();
      await sleep(5 * i);
    }
  }
}

/**
 * A plan that refuses (in use, not found, taken) may have read a replica one update behind another
 * client's commit: before a first refusal is final, an echo round trip lets pending updates arrive
 * and the plan is made again. The second answer stands.
 */
async function planFresh<T>(client: OvsdbClient, plan: () => Plan<T>, recheck: boolean): Promise<Plan<T>> {
  try {
    return plan();
  } catch (err) {
    if (!recheck) throw err;
    await client.echo();
    return plan();
  }
}

/**
 * ovsdb-server sends a commit's monitor updates before the transact reply on the same connection;
 * this waits (briefly) for inserted rows to be in the replica anyway, so reads right after a write
 * never miss it, whatever the server does.
 */
async function syncInserted(
  client: OvsdbClient,
  ops: Operation[],
  results: OperationResult[],
): Promise<void> {
  const missing = (): boolean =>
    ops.some((op, i) => {
      if (op.op !== 'insert') return false;
      const u = results[i]?.uuid;
      return isUuid(u) && client.monitors(op.table) ? client.cache.get(op.table, u[1]) === undefined : false;
    });
  if (missing()) await client.waitUntil(() => !missing(), 2000).catch(() => undefined);
}
