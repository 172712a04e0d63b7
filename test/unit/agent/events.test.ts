import { describe, expect, it } from 'vitest';
import { buildEvent, eventNote } from '../../../src/agent/events.js';

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
  it('builds an events.k8s.io/v1 Event kubectl describe can match', () => {
    const e = buildEvent(
      {
        regarding,
        operation: 'startVM',
        stage: 'Done',
        warning: true,
        eventId: '-1',
        durationSeconds: 1,
        detail: 'x',
      },
      'node1',
      new Date('2026-01-01T00:00:00Z'),
    );
    expect(e).toMatchObject({
      apiVersion: 'events.k8s.io/v1',
      type: 'Warning',
      reason: 'startVM',
      action: 'startVM',
      eventTime: '2026-01-01T00:00:00.000000Z',
      regarding: { apiVersion: 'doslab.io/v1', kind: 'VirtualMachine', name: 'vm1', uid: 'u-1' },
      reportingController: 'Virtctl',
      reportingInstance: 'Virtctl-node1',
    });
    expect(String(e.note)).toMatch(/status:Done, .*message:x$/);
  });
});
