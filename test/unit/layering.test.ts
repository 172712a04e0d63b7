/**
 * The import rule of biome.json (noRestrictedImports per layer) fails the lint on a back-edge:
 * a file importing against the layering is written into the tree for a moment and linted.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

async function lint(relPath: string, text: string): Promise<{ exitCode: number; output: string }> {
  const file = join(root, relPath);
  writeFileSync(file, text);
  try {
    const r = await execa('npx', ['biome', 'lint', relPath], { cwd: root, reject: false, all: true });
    return { exitCode: r.exitCode ?? -1, output: r.all ?? '' };
  } finally {
    rmSync(file, { force: true });
  }
}

describe('layering is enforced by the linter', () => {
  it.each([
    ['src/executors/zz-back-edge.ts', "import { KubeClient } from '../agent/kube/client.js';"],
    ['src/storage/zz-back-edge.ts', "import { LibvirtClient } from '../libvirt/index.js';"],
    ['src/libvirt/zz-back-edge.ts', "import { registryCatalog } from '../agent/registry-catalog.js';"],
    ['src/zz-back-edge.ts', "import { StorageEngine } from './storage/index.js';"],
  ])('%s: a back-edge import fails', async (path, line) => {
    const name = line.match(/\{ (\w+) \}/)?.[1] ?? 'x';
    const r = await lint(path, `${line}\n\nexport const x = ${name};\n`);
    expect(r.exitCode).not.toBe(0);
    expect(r.output).toContain('lint/style/noRestrictedImports');
  });

  it('an import along the layers passes', async () => {
    const r = await lint(
      'src/executors/zz-forward-edge.ts',
      "import { LibvirtClient } from '../libvirt/index.js';\n\nexport const x = LibvirtClient;\n",
    );
    expect(r.output).not.toContain('noRestrictedImports');
    expect(r.exitCode).toBe(0);
  });
});
