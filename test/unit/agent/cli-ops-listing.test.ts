/** `kubestack-agent ops` filters and formats, and `--version`. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { simpleCatalog } from '../../../src/agent/catalog.js';
import { buildProgram, packageVersion } from '../../../src/agent/cli.js';
import { type OpsOptions, opsCommand } from '../../../src/agent/cli-ops.js';
import { createRegistry } from '../../../src/executors/registry.js';

const registry = createRegistry();
type Listing = { operations: Array<{ kind: string; name: string; implemented: boolean }> };

async function runCli(args: string[], isTTY: boolean): Promise<string> {
  const lines: string[] = [];
  const program = buildProgram({
    catalog: async () => simpleCatalog([]),
    cliOps: async () => ({
      opsCommand: (o: OpsOptions) => opsCommand(registry, o),
      validateCommand: () => ({}),
    }),
    out: (t) => lines.push(t),
    isTTY,
  });
  program.exitOverride();
  program.configureOutput({ writeOut: (t) => lines.push(t.trimEnd()) });
  await program.parseAsync(['node', 'kubestack-agent', ...args]);
  return lines.join('\n');
}

describe('kubestack-agent ops', () => {
  it('filters by kind (any case) and by implemented', () => {
    const all = JSON.parse(opsCommand(registry)) as Listing;
    const pools = JSON.parse(opsCommand(registry, { kind: 'virtualmachinepool' })) as Listing;
    expect(pools.operations.length).toBeGreaterThan(0);
    expect(new Set(pools.operations.map((o) => o.kind))).toEqual(new Set(['VirtualMachinePool']));
    const done = JSON.parse(opsCommand(registry, { implemented: true })) as Listing;
    expect(done.operations.every((o) => o.implemented)).toBe(true);
    expect(done.operations.length).toBe(all.operations.filter((o) => o.implemented).length);
  });

  it('refuses an unknown kind, naming the option', () => {
    expect(() => opsCommand(registry, { kind: 'Vm2' })).toThrow(/^--kind: unknown kind "Vm2"/);
  });

  it('prints a table on a terminal and JSON otherwise or with --json', async () => {
    const table = await runCli(['ops', '--kind', 'VirtualMachinePool'], true);
    expect(table.split('\n')[0]).toMatch(/^KIND\s+OPERATION\s+IMPLEMENTED\s+SUMMARY$/);
    expect(table).toMatch(/^VirtualMachinePool\s+createPool\s+yes\s+/m);
    expect(table).toMatch(/\d+ operations, \d+ implemented$/);
    const json = JSON.parse(await runCli(['ops', '--json'], true)) as Listing;
    expect(json.operations.length).toBe(110);
    const piped = JSON.parse(await runCli(['ops'], false)) as Listing;
    expect(piped.operations.length).toBe(110);
  });
});

describe('kubestack-agent --version', () => {
  it('prints package.json’s version', async () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(packageVersion()).toBe(pkg.version);
    await expect(runCli(['--version'], false)).rejects.toMatchObject({ code: 'commander.version' });
  });
});
