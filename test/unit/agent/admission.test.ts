/**
 * One table of requests, judged by the three entry points that share the one admission function:
 * the agent's dispatch (admit), `kubestack-agent exec` and `kubestack-agent validate`. They must
 * agree on every row: the verdict, the reason and every parameter named.
 */
import { describe, expect, it } from 'vitest';
import { admit } from '../../../src/agent/admission.js';
import type { OperationCatalog } from '../../../src/agent/catalog.js';
import { validateCommand } from '../../../src/agent/cli-ops.js';
import { execOperation } from '../../../src/agent/exec-command.js';
import { registryCatalog } from '../../../src/agent/registry-catalog.js';
import type { Services } from '../../../src/executors/services.js';
import type { KindName, KubeObject } from '../../../src/kinds.js';
import { createLogger } from '../../../src/log.js';

const implemented = registryCatalog();
const nothingImplemented = registryCatalog([]);

interface Row {
  what: string;
  kind: KindName;
  name?: string;
  lifecycle: Record<string, unknown>;
  catalog?: OperationCatalog;
  verdict: 'admit' | 'reject';
  reason?: string;
  message?: RegExp;
  fields?: string[];
}

const disk = { type: 'localfs', format: 'qcow2', pool: 'pool2', capacity: '10G' };

const ROWS: Row[] = [
  { what: 'a valid request', kind: 'VirtualMachineDisk', lifecycle: { createDisk: disk }, verdict: 'admit' },
  {
    what: 'the name case-insensitively',
    kind: 'VirtualMachineDisk',
    lifecycle: { CREATEDISK: disk },
    verdict: 'admit',
  },
  {
    what: 'an unknown operation, with the closest documented name',
    kind: 'VirtualMachine',
    lifecycle: { statVM: {} },
    verdict: 'reject',
    reason: 'InvalidParameter',
    message: /unknown operation statVM for VirtualMachine \(did you mean startVM\?\)/,
  },
  {
    what: 'an unknown operation with nothing close',
    kind: 'VirtualMachine',
    lifecycle: { fooBarBaz: {} },
    verdict: 'reject',
    reason: 'InvalidParameter',
    message: /^unknown operation fooBarBaz for VirtualMachine$/,
  },
  {
    what: 'two operations at once',
    kind: 'VirtualMachine',
    lifecycle: { startVM: {}, stopVM: {} },
    verdict: 'reject',
    reason: 'InvalidParameter',
    message: /2 operations \(startVM, stopVM\)/,
  },
  {
    what: 'another kind’s operation',
    kind: 'VirtualMachinePool',
    lifecycle: { startVM: {} },
    verdict: 'reject',
    reason: 'InvalidParameter',
    message: /startVM is an operation of VirtualMachine, not of VirtualMachinePool/,
  },
  {
    what: 'a bad object name, with the parameter problems too',
    kind: 'VirtualMachineDisk',
    name: 'Bad_Name',
    lifecycle: { createDisk: { ...disk, capacity: 'lots' } },
    verdict: 'reject',
    reason: 'InvalidParameter',
    fields: ['metadata.name', 'capacity'],
  },
  {
    what: 'every bad parameter at once',
    kind: 'VirtualMachineDisk',
    lifecycle: { createDisk: { type: 'x', pool: 'P' } },
    verdict: 'reject',
    reason: 'InvalidParameter',
    fields: ['type', 'format', 'pool', 'capacity'],
  },
  {
    what: 'parameters that are not an object',
    kind: 'VirtualMachine',
    lifecycle: { startVM: 'now' },
    verdict: 'reject',
    reason: 'InvalidParameter',
  },
  {
    what: 'a documented operation this node does not implement (after its parameters are checked)',
    kind: 'VirtualMachineDisk',
    lifecycle: { createDisk: disk },
    catalog: nothingImplemented,
    verdict: 'reject',
    reason: 'Unsupported',
    message: /createDisk for VirtualMachineDisk: not supported on this node yet/,
  },
];

const objectOf = (r: Row): KubeObject => ({
  apiVersion: 'doslab.io/v1',
  kind: r.kind,
  metadata: { name: r.name ?? 'disk1', namespace: 'default' },
  spec: { lifecycle: r.lifecycle },
});

const fieldsOf = (errors: readonly { details?: Record<string, unknown>; field?: string }[]) =>
  errors.map((e) => e.field ?? e.details?.['field']);

describe.each(ROWS)('admission: $what', (row) => {
  const catalog = row.catalog ?? implemented;
  const obj = objectOf(row);

  it('dispatch (admit)', () => {
    const a = admit(catalog, obj);
    expect(a.verdict).toBe(row.verdict);
    if (a.verdict !== 'reject') return;
    if (row.reason) expect(a.error.reason).toBe(row.reason);
    if (row.message) expect(a.error.message).toMatch(row.message);
    if (row.fields) expect(fieldsOf(a.errors)).toEqual(row.fields);
  });

  it('validate', () => {
    const v = validateCommand(JSON.stringify(obj), catalog);
    expect(v.ok).toBe(row.verdict === 'admit');
    if (row.reason) expect(v.errors[0]?.reason).toBe(row.reason);
    if (row.message) expect(v.errors.map((e) => e.message).join('\n')).toMatch(row.message);
    if (row.fields) expect(fieldsOf(v.errors)).toEqual(row.fields);
  });
});

describe.each(ROWS.filter((r) => r.verdict === 'reject'))('admission: $what', (row) => {
  const catalog = row.catalog ?? implemented;
  const obj = objectOf(row);

  it('exec (refused before anything runs)', async () => {
    const services = {} as Services; // never reached: a refused request touches nothing
    const r = await execOperation(obj, { catalog, services, nodeName: 'n1', log: createLogger('silent') });
    expect(r.ok).toBe(false);
    if (row.reason) expect(r.error?.reason).toBe(row.reason);
    if (row.message) expect(r.error?.message).toMatch(row.message);
  });
});
