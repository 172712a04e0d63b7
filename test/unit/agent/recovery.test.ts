/**
 * Journal recovery decisions. The journal is real (a temp directory); the apiserver side is a map of
 * objects (this is the pure decision layer; the SIGKILL path runs against the real apiserver in
 * test/integration/agent/resilience.test.ts).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { simpleCatalog } from '../../../src/agent/catalog.js';
import type { Dispatcher, Pending } from '../../../src/agent/dispatch.js';
import { Journal, type JournalEntry } from '../../../src/agent/journal.js';
import { recoverJournal } from '../../../src/agent/recovery.js';
import type { StatusWriter } from '../../../src/agent/status-writer.js';
import type { OperationSpec } from '../../../src/executors/types.js';
import type { KubeObject } from '../../../src/kinds.js';
import { createLogger } from '../../../src/log.js';

const op = (name: string, resumable = false): OperationSpec =>
  ({
    kind: 'VirtualMachine',
    name,
    summary: '',
    params: Type.Object({}),
    handler: async () => ({}),
    ...(resumable ? { resumable: true } : {}),
  }) as OperationSpec;

const obj = (name: string, rv: string, lifecycle?: unknown): KubeObject => ({
  apiVersion: 'doslab.io/v1',
  kind: 'VirtualMachine',
  metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: rv },
  spec: lifecycle ? { lifecycle } : {},
});

const entry = (name: string, phase: JournalEntry['phase'], operation: string, extra = {}): JournalEntry => ({
  id: `uid-${name}/1/${operation}`,
  phase,
  key: `VirtualMachine/default/${name}`,
  operation,
  eventId: '-1',
  uid: `uid-${name}`,
  resourceVersion: '1',
  at: 'now',
  ...extra,
});

describe('recoverJournal', () => {
  it('resolves each phase without running anything blindly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ks-rec-'));
    const j = await Journal.open(dir);
    await j.record(entry('notacked', 'accepted', 'opA'));
    await j.record(entry('acked', 'accepted', 'opA'));
    await j.record(entry('midway', 'started', 'opA'));
    await j.record(entry('resumable', 'started', 'opR', { params: { x: 1 } }));
    await j.record(
      entry('finished', 'finished', 'opA', { result: { ok: true, outcome: { spec: { a: 1 } } } }),
    );
    await j.record(entry('gone', 'started', 'opA'));
    const objects = new Map<string, KubeObject>([
      ['VirtualMachine/default/notacked', obj('notacked', '1', { opA: {} })],
      ['VirtualMachine/default/acked', obj('acked', '2')],
      ['VirtualMachine/default/midway', obj('midway', '2')],
      ['VirtualMachine/default/resumable', obj('resumable', '2')],
      ['VirtualMachine/default/finished', obj('finished', '2')],
    ]);
    const adopted = new Map<string, Pending>();
    const keys = await recoverJournal({
      journal: j,
      dispatcher: { adopt: (k: string, p: Pending) => adopted.set(k, p) } as unknown as Dispatcher,
      catalog: simpleCatalog([op('opA'), op('opR', true)]),
      writer: { get: async () => undefined } as unknown as StatusWriter,
      log: createLogger('silent'),
      getObject: (k) => objects.get(k),
    });
    expect(keys.sort()).toEqual(
      ['acked', 'finished', 'midway', 'resumable'].map((n) => `VirtualMachine/default/${n}`).sort(),
    );
    const get = (n: string) => adopted.get(`VirtualMachine/default/${n}`);
    expect(get('notacked')).toBeUndefined();
    expect(get('acked')).toMatchObject({ stage: 'report', result: { ok: false } });
    expect((get('acked') as { result: { error: Error } }).result.error.message).toMatch(/before opA started/);
    expect((get('midway') as { result: { error: Error } }).result.error.message).toMatch(
      /^agent restarted during opA/,
    );
    expect(get('resumable')).toMatchObject({ stage: 'run', params: { x: 1 } });
    expect(get('finished')).toMatchObject({
      stage: 'report',
      result: { ok: true, outcome: { spec: { a: 1 } } },
    });
    // the unacknowledged request and the vanished object are closed in the journal
    expect(
      j
        .unfinished()
        .map((e) => e.key.split('/')[2])
        .sort(),
    ).toEqual(['acked', 'finished', 'midway', 'resumable']);
    expect(j.has('uid-notacked/1/opA')).toBe(false);
    await j.close();
  });
});
