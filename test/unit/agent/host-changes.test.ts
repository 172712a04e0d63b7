import { describe, expect, it } from 'vitest';
import { describeChange, HostStates } from '../../../src/agent/host-changes.js';
import type { KubeObject } from '../../../src/kinds.js';

const vm = (reason?: string): KubeObject => ({
  apiVersion: 'doslab.io/v1',
  kind: 'VirtualMachine',
  metadata: { name: 'vm1', namespace: 'default' },
  ...(reason ? { status: { conditions: [{ type: 'Ready', status: 'True', reason }] } } : {}),
});
const running = { status: 'True' as const, reason: 'Running', message: 'The VM is Running' };
const shutoff = { status: 'True' as const, reason: 'Shutoff', message: 'The VM is Shutoff' };
const crashed = { status: 'False' as const, reason: 'Crashed', message: "domain 'vm1' crashed" };
const gone = { status: 'False' as const, reason: 'DomainNotFound', message: "no domain 'vm1' is defined" };
const unknown = { status: 'Unknown' as const, reason: 'ObservationFailed', message: 'libvirtd down' };

describe('out-of-band host changes', () => {
  it('a domain destroyed or crashed by another tool is a change; a vanished one is a Warning', () => {
    expect(describeChange(vm(), running, shutoff)).toMatchObject({ warning: true, reason: 'Shutoff' });
    expect(describeChange(vm(), shutoff, running)).toMatchObject({ warning: false, reason: 'Running' });
    expect(describeChange(vm(), running, crashed)).toMatchObject({ warning: true, reason: 'Crashed' });
    const vanished = describeChange(vm(), running, gone);
    expect(vanished).toMatchObject({ warning: true, reason: 'DomainNotFound' });
    expect(vanished?.message).toMatch(
      /VirtualMachine vm1 changed outside the agent: was Running, now DomainNotFound/,
    );
  });

  it('no claim without a known state before, or when the host could not be asked', () => {
    expect(describeChange(vm(), undefined, gone)).toBeUndefined();
    expect(describeChange(vm(), running, unknown)).toBeUndefined();
    expect(describeChange(vm(), running, running)).toBeUndefined();
  });

  it('the first observation compares with the object; later ones with what was seen last', () => {
    const s = new HostStates();
    expect(s.observed('k', vm('Running'), shutoff, false)).toMatchObject({ reason: 'Shutoff' });
    // the cache may still hold the old version: what was seen wins
    expect(s.observed('k', vm('Running'), shutoff, false)).toBeUndefined();
    // an unknown moment keeps the last known state
    expect(s.observed('k', vm('Running'), unknown, false)).toBeUndefined();
    expect(s.observed('k', vm('Running'), crashed, false)).toMatchObject({ reason: 'Crashed' });
  });

  it('what follows one of our operations is its own aftermath, not out of band', () => {
    const s = new HostStates();
    expect(s.observed('k', vm('Shutoff'), running, true)).toBeUndefined();
    // the Started event right after startVM's result: within the grace, no Event
    expect(s.observed('k', vm('Shutoff'), shutoff, false)).toBeUndefined();
    s.forget('k');
    expect(s.observed('k', vm(), shutoff, false)).toBeUndefined();
  });
});
