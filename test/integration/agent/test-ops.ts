/**
 * Test-only operations, registered by the agent tests (never by the product): they let the tests
 * drive the whole runtime — watch, acknowledge, queue, journal, status, events — without libvirt.
 * Every handler run is counted per object (and appended to $KUBESTACK_TEST_OPS_LOG when set, so a
 * test can count runs of an agent in another process).
 */
import { appendFileSync } from 'node:fs';
import { Type } from '@sinclair/typebox';
import { InUseError, KubestackError } from '../../../src/errors.js';
import { defineOperation, type OperationSpec } from '../../../src/executors/types.js';

export const runs = new Map<string, number>();

function count(name: string, op: string): void {
  runs.set(`${name}/${op}`, (runs.get(`${name}/${op}`) ?? 0) + 1);
  const file = process.env.KUBESTACK_TEST_OPS_LOG;
  if (file) appendFileSync(file, `${name} ${op}\n`);
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

const retriableLeft = new Map<string, number>();

export const testOps: OperationSpec[] = [
  defineOperation({
    kind: 'VirtualMachine',
    name: 'testNoop',
    summary: 'does nothing; reports the VM running',
    params: Type.Object({}),
    handler: async (ctx) => {
      count(ctx.name, 'testNoop');
      return { spec: { powerstate: 'Running' } };
    },
  }),
  defineOperation({
    kind: 'VirtualMachine',
    name: 'testSleep',
    summary: 'sleeps ms milliseconds',
    params: Type.Object({ ms: Type.Integer({ minimum: 0, maximum: 600_000 }) }),
    handler: async (ctx, p) => {
      count(ctx.name, 'testSleep');
      await sleep(p.ms, ctx.signal);
      return { spec: { powerstate: 'Running' } };
    },
  }),
  defineOperation({
    kind: 'VirtualMachine',
    name: 'testFail',
    summary: 'fails with InUse',
    params: Type.Object({}),
    handler: async (ctx) => {
      count(ctx.name, 'testFail');
      throw new InUseError(`disk of ${ctx.name} is in use by domain other`);
    },
  }),
  defineOperation({
    kind: 'VirtualMachine',
    name: 'testRetriable',
    summary: 'fails with a retriable Conflict `times` times, then succeeds',
    params: Type.Object({ times: Type.Integer({ minimum: 0, maximum: 10 }) }),
    handler: async (ctx, p) => {
      count(ctx.name, 'testRetriable');
      const left = retriableLeft.get(ctx.name) ?? p.times;
      if (left > 0) {
        retriableLeft.set(ctx.name, left - 1);
        throw new KubestackError('Conflict', 'transient conflict');
      }
      retriableLeft.delete(ctx.name);
      return { spec: { powerstate: 'Running' } };
    },
  }),
  defineOperation({
    kind: 'VirtualMachine',
    name: 'testParams',
    summary: 'validates a name and a size',
    params: Type.Object({
      name: Type.String({ pattern: '^[a-z0-9.-]{4,100}$' }),
      size: Type.Integer({ minimum: 1, maximum: 10 }),
      mode: Type.Optional(Type.Union([Type.Literal('fast'), Type.Literal('safe')])),
    }),
    aliases: { vol_name: 'name' },
    handler: async (ctx) => {
      count(ctx.name, 'testParams');
      return { spec: { powerstate: 'Running' } };
    },
  }),
  defineOperation({
    kind: 'VirtualMachine',
    name: 'testDelete',
    summary: 'removes the thing: the CR is deleted after success',
    params: Type.Object({}),
    handler: async (ctx) => {
      count(ctx.name, 'testDelete');
      return { deleteObject: true };
    },
  }),
  defineOperation({
    kind: 'VirtualMachineDisk',
    name: 'testReport',
    summary: 'reports a volume',
    params: Type.Object({ pool: Type.String() }),
    handler: async (ctx, p) => {
      count(ctx.name, 'testReport');
      return {
        report: { pool: p.pool, current: `/var/lib/libvirt/${p.pool}/${ctx.name}/${ctx.name}`, vm: '' },
      };
    },
  }),
];
