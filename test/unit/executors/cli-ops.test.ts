import { describe, expect, it } from 'vitest';
import { opsCommand, validateCommand } from '../../../src/agent/cli-ops.js';
import { registryCatalog } from '../../../src/agent/registry-catalog.js';
import { createRegistry } from '../../../src/executors/registry.js';

const registry = createRegistry([]);
const catalog = registryCatalog();

describe('kubestack-agent ops', () => {
  it('prints every operation with its schema as JSON', () => {
    const out = JSON.parse(opsCommand(registry)) as {
      operations: Array<{
        kind: string;
        name: string;
        implemented: boolean;
        params: { properties: Record<string, unknown> };
      }>;
    };
    expect(out.operations).toHaveLength(110);
    const createDisk = out.operations.find((o) => o.name === 'createDisk');
    expect(createDisk?.kind).toBe('VirtualMachineDisk');
    expect(createDisk?.implemented).toBe(false);
    expect(Object.keys(createDisk?.params.properties ?? {})).toEqual(['type', 'format', 'pool', 'capacity']);
  });
});

describe('kubestack-agent validate -f', () => {
  it('accepts a valid resource and shows the parameters as the operation would get them', () => {
    const r = validateCommand(
      [
        'apiVersion: doslab.io/v1',
        'kind: VirtualMachineDisk',
        'metadata: {name: disk1}',
        'spec:',
        '  lifecycle:',
        '    CreateDisk: {type: localfs, format: qcow2, pool: pool2, capacity: 10G, allocation: 1G}',
      ].join('\n'),
      catalog,
    );
    expect(r).toEqual({
      kind: 'VirtualMachineDisk',
      name: 'disk1',
      operation: 'createDisk',
      ok: true,
      errors: [],
      params: { type: 'localfs', format: 'qcow2', pool: 'pool2', capacity: 10737418240 },
      ignored: ['allocation'],
    });
  });

  it('reports every bad parameter of the short form', () => {
    const r = validateCommand(
      JSON.stringify({
        kind: 'VirtualMachineDisk',
        name: 'disk1',
        lifecycle: { createDisk: { type: 'x', pool: 'P' } },
      }),
      catalog,
    );
    expect(r.ok).toBe(false);
    expect(r.errors.map((e) => e.field)).toEqual(['type', 'format', 'pool', 'capacity']);
    expect(r.errors.every((e) => e.reason === 'InvalidParameter')).toBe(true);
  });

  it('reports unknown operations, operations of another kind and unreadable files', () => {
    expect(
      validateCommand('{kind: VirtualMachine, name: vm01, lifecycle: {frob: {}}}', catalog).errors[0]
        ?.message,
    ).toMatch(/unknown operation frob/);
    expect(
      validateCommand('{kind: VirtualMachinePool, name: pool1, lifecycle: {startVM: {}}}', catalog).errors[0]
        ?.message,
    ).toMatch(/startVM is an operation of VirtualMachine, not of VirtualMachinePool/);
    expect(validateCommand('[1, 2', catalog).ok).toBe(false);
    expect(validateCommand('{kind: Pod, name: x}', catalog).errors[0]?.field).toBe('kind');
  });
});
