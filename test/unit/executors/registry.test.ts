import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { UnsupportedError, ValidationError } from '../../../src/errors.js';
import { createRegistry } from '../../../src/executors/registry.js';
import { validateParams } from '../../../src/executors/schema.js';
import { defineOperation } from '../../../src/executors/types.js';
import { CreateDisk } from '../../../src/executors/virtual-machine-disk/params.gen.js';
import { KINDS, type KindName } from '../../../src/kinds.js';
import { lowerCamel, unusedRules } from '../../../tools/params-gen/generate.js';
import { loadOperationsJson, ROOT, renderAll } from '../../../tools/params-gen/main.js';
import { SDK_PARAMS } from '../../../tools/params-gen/rules.js';

const json = loadOperationsJson();
const registry = createRegistry([]);

describe('registry against operations.json', () => {
  it('has the 8 kinds and the 110 documented operations with the same parameters', () => {
    expect(json.kinds.map((k) => k.kind).sort()).toEqual(KINDS.map((k) => k.kind).sort());
    const listed = registry.list();
    expect(listed).toHaveLength(110);
    const byKey = (a: { kind: string; name: string }, b: { kind: string; name: string }) =>
      `${a.kind}/${a.name}`.localeCompare(`${b.kind}/${b.name}`);
    const documented = json.kinds
      .flatMap((k) =>
        k.operations.map((o) => ({
          kind: k.kind,
          name: lowerCamel(o.name),
          // Documented parameters, plus those only the SDK's model sends (tools/params-gen SDK_PARAMS).
          params: [...new Set([...o.params, ...(SDK_PARAMS[o.name] ?? [])].map((p) => p.name))].sort(),
          required: [...new Set(o.params.filter((p) => p.required).map((p) => p.name))].sort(),
        })),
      )
      .sort(byKey);
    expect(
      listed
        .map((e) => ({
          kind: e.kind,
          name: e.name,
          params: Object.keys(e.spec.params.properties).sort(),
          required: [...(e.spec.params.required ?? [])].sort(),
        }))
        .sort(byKey),
    ).toEqual(documented);
  });

  it('matches lifecycle keys case-insensitively, like uni-virt, and not with underscores', () => {
    expect(registry.lookup('VirtualMachine', 'startVM')?.name).toBe('startVM');
    expect(registry.lookup('VirtualMachine', 'STARTVM')?.name).toBe('startVM');
    expect(registry.lookup('VirtualMachine', 'startvm')?.name).toBe('startVM');
    expect(registry.lookup('VirtualMachine', 'start_vm')).toBeUndefined();
    expect(registry.lookup('VirtualMachine', 'noSuchOperation')).toBeUndefined();
  });

  it('keeps operations of the same name apart per kind', () => {
    expect(registry.lookup('VirtualMachine', 'deleteRemoteBackup')?.kind).toBe('VirtualMachine');
    expect(registry.lookup('VirtualMachinePool', 'deleteRemoteBackup')?.kind).toBe('VirtualMachinePool');
  });

  it('names the kind of an operation asked of another kind (admission refuses it: admission.test.ts)', () => {
    expect(registry.lookup('VirtualMachineDisk', 'startVM')).toBeUndefined();
    expect(registry.resolve('VirtualMachineDisk', 'startvm')).toEqual({
      status: 'wrong-kind',
      kinds: ['VirtualMachine'],
      name: 'startVM',
    });
  });

  it('answers unimplemented operations with UnsupportedError after validating them', async () => {
    const op = registry.lookup('VirtualMachineNetwork', 'createSwitch')!;
    expect(() => validateParams(op, {})).toThrow(ValidationError);
    const err = await op.handler({} as never, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedError);
    expect((err as Error).message).toBe('createSwitch is not supported on this node yet');
  });

  it('takes implementations and refuses undocumented ones or changed parameter names', async () => {
    const impl = defineOperation({ ...CreateDisk, handler: async () => ({ message: 'made' }) });
    const r = createRegistry([impl]);
    expect(r.lookup('VirtualMachineDisk', 'createdisk')).toBe(impl);
    expect(r.list().find((e) => e.name === 'createDisk')?.implemented).toBe(true);
    const bogus = defineOperation({
      kind: 'VirtualMachineDisk' as KindName,
      name: 'frobDisk',
      summary: '',
      params: Type.Object({}),
      handler: async () => ({}),
    });
    expect(() => createRegistry([bogus])).toThrow(/not documented/);
    const renamed = defineOperation({
      ...CreateDisk,
      params: Type.Object({ size: Type.String() }),
      handler: async () => ({}),
    });
    expect(() => createRegistry([renamed])).toThrow(/documented \[capacity,format,pool,type\]/);
  });
});

describe('documented examples', () => {
  it('every documented example (as corrected in the reviewed table) validates', () => {
    const failures: string[] = [];
    for (const entry of registry.list()) {
      const props = entry.spec.params.properties as Record<string, { examples?: unknown[] }>;
      const request: Record<string, unknown> = {};
      for (const [name, schema] of Object.entries(props)) request[name] = schema.examples?.[0];
      try {
        validateParams(entry.spec, request);
      } catch (err) {
        failures.push(`${entry.kind}.${entry.name}: ${(err as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('generated files are up to date (CI check)', () => {
  it('the reviewed rule table has no entry that no documented parameter uses', () => {
    expect(unusedRules(json)).toEqual([]);
  });

  it('regenerating params.gen.ts from operations.json gives the committed files', () => {
    for (const [rel, text] of renderAll(json)) {
      expect(readFileSync(join(ROOT, rel), 'utf8'), `${rel} is stale: run npm run generate`).toBe(text);
    }
  });
});
