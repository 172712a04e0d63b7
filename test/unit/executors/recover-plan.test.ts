/** Recovery of a one-transaction operation: an empty plan now = the run committed; else undone. */
import { describe, expect, it, vi } from 'vitest';
import { recoverOneTransaction } from '../../../src/executors/recover-plan.js';
import type { OperationContext } from '../../../src/executors/types.js';

const ctx = { name: 'n1' } as unknown as OperationContext;

describe('recoverOneTransaction', () => {
  it('reports the replayed outcome when the plan made again is empty', async () => {
    const handler = vi.fn(async () => ({ message: 'done' }));
    const r = await recoverOneTransaction(ctx, { a: 1 }, () => ({ ops: [] }), handler);
    expect(r).toEqual({ outcome: { message: 'done' } });
    expect(handler).toHaveBeenCalledWith(ctx, { a: 1 });
  });

  it('reports undone, without calling the handler, when the plan still has work', async () => {
    const handler = vi.fn(async () => ({ message: 'done' }));
    const r = await recoverOneTransaction(ctx, {}, () => ({ ops: [{ op: 'insert' }] }), handler);
    expect(r).toEqual({ undone: true });
    expect(handler).not.toHaveBeenCalled();
  });
});
