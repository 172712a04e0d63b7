import { describe, expect, it } from 'vitest';
import {
  changedMembers,
  failureMembers,
  microTime,
  prune,
  statusPatch,
  successMembers,
} from '../../../src/agent/status.js';
import { InUseError } from '../../../src/errors.js';
import type { KubeObject } from '../../../src/kinds.js';

const vm = (spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject => ({
  apiVersion: 'doslab.io/v1',
  kind: 'VirtualMachine',
  metadata: { name: 'vm1', generation: 3 },
  spec,
  ...(status ? { status } : {}),
});

describe('result patches', () => {
  it('VM success: power state reason and message, report into spec.domain, timestamp', () => {
    const p = successMembers(
      'VirtualMachine',
      vm({}),
      { spec: { powerstate: 'Paused' }, report: { a: 1 } },
      5,
    );
    expect(p).toEqual({
      powerstate: 'Paused',
      domain: { a: 1 },
      status: { conditions: { state: { waiting: { reason: 'Paused', message: 'The VM is Paused' } } } },
      description: { lastOperationTimeStamp: 5 },
    });
  });
  it('other kinds default to Ready / The resource is ready.', () => {
    const p = successMembers('VirtualMachinePool', undefined, { report: { state: 'active' } }, 1);
    expect(p.pool).toEqual({ state: 'active' });
    expect(JSON.stringify(p)).toContain('"reason":"Ready","message":"The resource is ready."');
  });
  it('failure: the error reason and message', () => {
    const p = failureMembers(vm({ description: { note: 'kept' } }), new InUseError('disk busy'), 9);
    expect(p).toEqual({
      status: { conditions: { state: { waiting: { reason: 'InUse', message: 'disk busy' } } } },
      description: { note: 'kept', lastOperationTimeStamp: 9 },
    });
  });
  it('changedMembers: only members that differ; null removes a present member only', () => {
    const obj = vm({ domain: { a: 1 }, powerstate: 'Running', status: { x: 1 } });
    expect(changedMembers(obj, { domain: { a: 1 }, powerstate: 'Running' })).toEqual({});
    expect(changedMembers(obj, { domain: null, powerstate: 'Unknown', volume: null })).toEqual({
      domain: null,
      powerstate: 'Unknown',
    });
    expect(changedMembers(obj, { domain: { a: 1, b: 2 } })).toEqual({ domain: { a: 1, b: 2 } });
  });
  it('status: Ready condition keeps lastTransitionTime while its status is unchanged', () => {
    const last = {
      name: 'startVM',
      eventId: '-1',
      phase: 'Succeeded' as const,
      startedAt: 't0',
      finishedAt: 't1',
    };
    const ok = (message: string) => ({ status: 'True' as const, reason: 'Running', message });
    const first = statusPatch(vm({}), { last, ready: ok('m') }, 'T1');
    const obj = vm({}, first.status as Record<string, unknown>);
    const second = statusPatch(obj, { last, ready: ok('m2') }, 'T2');
    const cond = (second.status as { conditions: Array<Record<string, unknown>> }).conditions[0];
    expect(cond).toMatchObject({
      type: 'Ready',
      status: 'True',
      lastTransitionTime: 'T1',
      observedGeneration: 3,
    });
    const third = statusPatch(obj, { ready: { status: 'False', reason: 'NotFound', message: 'x' } }, 'T3');
    expect((third.status as { conditions: Array<Record<string, unknown>> }).conditions[0]).toMatchObject({
      status: 'False',
      lastTransitionTime: 'T3',
    });
    // lastOperation only changes when given: an observation leaves it as it was.
    expect(third.status).not.toHaveProperty('lastOperation');
  });
});

describe('prune', () => {
  it('drops what already has the wanted value; undefined when nothing changes', () => {
    const cur = { spec: { a: 1, b: { c: [1, 2], d: 'x' } } };
    expect(prune({ spec: { a: 1, b: { c: [1, 2] } } }, cur)).toBeUndefined();
    expect(prune({ spec: { a: 2, b: { c: [1, 2], d: 'y' } } }, cur)).toEqual({
      spec: { a: 2, b: { d: 'y' } },
    });
    expect(prune({ spec: { gone: null, a: null } }, cur)).toEqual({ spec: { a: null } });
    expect(prune({ metadata: { x: { y: 1 } } }, cur)).toEqual({ metadata: { x: { y: 1 } } });
  });
});

describe('microTime', () => {
  it('always has six fractional digits', () => {
    expect(microTime(new Date('2026-01-01T00:00:00.000Z'))).toBe('2026-01-01T00:00:00.000000Z');
    expect(microTime(new Date('2026-01-01T00:00:00.123Z'))).toBe('2026-01-01T00:00:00.123000Z');
  });
});
