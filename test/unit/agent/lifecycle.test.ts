import { describe, expect, it } from 'vitest';
import { eventIdOf, readLifecycle } from '../../../src/agent/lifecycle.js';
import type { KubeObject } from '../../../src/kinds.js';

const obj = (spec: unknown, labels: Record<string, string> = {}): KubeObject =>
  ({
    apiVersion: 'doslab.io/v1',
    kind: 'VirtualMachine',
    metadata: { name: 'vm1', labels },
    spec,
  }) as KubeObject;

describe('readLifecycle', () => {
  it('takes the one key and its parameters', () => {
    expect(readLifecycle(obj({ lifecycle: { startVM: { a: 1 } } }))).toEqual({
      kind: 'request',
      op: 'startVM',
      params: { a: 1 },
    });
  });
  it('refuses several operations in one request, naming them (none of them runs)', () => {
    const r = readLifecycle(obj({ lifecycle: { startVM: {}, StopVMForce: {} } }));
    expect(r).toMatchObject({ kind: 'malformed' });
    expect((r as { message: string }).message).toMatch(/2 operations \(startVM, StopVMForce\)/);
  });
  it('treats null parameters as none', () => {
    expect(readLifecycle(obj({ lifecycle: { startVM: null } }))).toMatchObject({
      kind: 'request',
      params: {},
    });
  });
  it('ignores an absent or empty lifecycle', () => {
    expect(readLifecycle(obj({}))).toEqual({ kind: 'none' });
    expect(readLifecycle(obj({ lifecycle: {} }))).toEqual({ kind: 'none' });
    expect(readLifecycle(obj({ lifecycle: null }))).toEqual({ kind: 'none' });
  });
  it('reports malformed requests instead of throwing', () => {
    expect(readLifecycle(obj(undefined))).toMatchObject({
      kind: 'malformed',
      message: 'the object has no spec',
    });
    expect(readLifecycle(obj({ lifecycle: 'startVM' }))).toMatchObject({ kind: 'malformed' });
    expect(readLifecycle(obj({ lifecycle: ['startVM'] }))).toMatchObject({ kind: 'malformed' });
    expect(readLifecycle(obj({ lifecycle: { startVM: 'now' } }))).toMatchObject({
      kind: 'malformed',
      op: 'startVM',
    });
    expect(readLifecycle(obj({ lifecycle: { startVM: [1] } }))).toMatchObject({ kind: 'malformed' });
  });
});

describe('eventIdOf', () => {
  it('prefers the SDK label, then eventId, then -1', () => {
    expect(eventIdOf(obj({}, { 'kubestack.label.event.id': 'a', eventId: 'b' }))).toBe('a');
    expect(eventIdOf(obj({}, { eventId: 'b' }))).toBe('b');
    expect(eventIdOf(obj({}))).toBe('-1');
    expect(eventIdOf(undefined)).toBe('-1');
  });
  it('never returns an id left from the last finished operation', () => {
    const withLast = (phase: string) => ({
      ...obj({}, { 'kubestack.label.event.id': 'a' }),
      status: { lastOperation: { name: 'startVM', eventId: 'a', phase } },
    });
    expect(eventIdOf(withLast('Succeeded'))).toBe('-1');
    expect(eventIdOf(withLast('Failed'))).toBe('-1');
    // the operation of this id is still running: it is the request's own id
    expect(eventIdOf(withLast('Running'))).toBe('a');
    const renewed = {
      ...withLast('Succeeded'),
      metadata: { name: 'x', labels: { 'kubestack.label.event.id': 'b' } },
    };
    expect(eventIdOf(renewed)).toBe('b');
  });
});
