import { describe, expect, it } from 'vitest';
import {
  buildCoreEvent,
  changeText,
  eventNote,
  operationText,
  repeatPatch,
} from '../../../src/agent/events.js';

const regarding = {
  apiVersion: 'doslab.io/v1',
  kind: 'VirtualMachine',
  metadata: { name: 'vm1', namespace: 'default', uid: 'u-1' },
};

describe('events', () => {
  it('keeps the uni-virt note tokens', () => {
    const note = eventNote({
      regarding,
      operation: 'startVM',
      stage: 'Doing',
      warning: false,
      eventId: 'e1',
      durationSeconds: 0.0000123,
    });
    expect(note).toBe(
      'type:VirtualMachine, name:vm1, operation:startVM, status:Doing, reporter:Virtctl, eventId:e1, duration:0.000012',
    );
  });
  it('builds a core v1 Event kubectl describe can match and order', () => {
    const at = new Date('2026-01-01T00:00:00.123Z');
    const e = buildCoreEvent(
      operationText({
        regarding,
        operation: 'startVM',
        stage: 'Done',
        warning: true,
        eventId: '-1',
        durationSeconds: 1,
        detail: 'x',
      }),
      'node1',
      at,
    );
    expect(e).toMatchObject({
      apiVersion: 'v1',
      kind: 'Event',
      type: 'Warning',
      reason: 'startVM',
      action: 'startVM',
      eventTime: '2026-01-01T00:00:00.123000Z',
      firstTimestamp: '2026-01-01T00:00:00Z',
      lastTimestamp: '2026-01-01T00:00:00Z',
      count: 1,
      involvedObject: { apiVersion: 'doslab.io/v1', kind: 'VirtualMachine', name: 'vm1', uid: 'u-1' },
      reportingComponent: 'Virtctl',
      reportingInstance: 'Virtctl-node1',
      source: { component: 'Virtctl', host: 'node1' },
    });
    expect(String(e.message)).toMatch(/status:Done, .*message:x$/);
  });

  it('names events of one object in the order they were made, even within one millisecond', () => {
    const at = new Date('2026-01-01T00:00:00.123Z');
    const text = changeText({ regarding, warning: true, reason: 'Crashed', message: 'm' });
    const names = [1, 2, 3].map(() => (buildCoreEvent(text, 'n', at).metadata as { name: string }).name);
    expect(names.every((n) => n.startsWith('vm1.'))).toBe(true);
    const [a, b, c] = names.map((n) => BigInt(`0x${n.slice(4)}`)) as [bigint, bigint, bigint];
    expect(a < b && b < c).toBe(true);
    // same width: the apiserver's name order is the time order
    expect(new Set(names.map((n) => n.length)).size).toBe(1);
  });

  it('counts a repeat on the first event: count, lastTimestamp and series', () => {
    expect(repeatPatch(3, new Date('2026-01-01T00:01:02.5Z'))).toEqual({
      count: 3,
      lastTimestamp: '2026-01-01T00:01:02Z',
      series: { count: 3, lastObservedTime: '2026-01-01T00:01:02.500000Z' },
    });
  });
});
