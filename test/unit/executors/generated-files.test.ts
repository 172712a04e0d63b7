import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { crdFor, renderCrds } from '../../../src/agent/crds.js';
import { renderOperationsDoc } from '../../../src/executors/docs.js';
import { createRegistry } from '../../../src/executors/registry.js';
import { KINDS } from '../../../src/kinds.js';

const root = join(import.meta.dirname, '..', '..', '..');

type Props = Record<string, unknown> & { properties: Record<string, Props> };

/** Implemented markers change whenever an operation lands; `npm run generate` refreshes them. */
const withoutImplemented = (doc: string) =>
  doc
    .replace(/Implemented on this node: \*\*(yes|no)\*\*/g, 'Implemented on this node: ?')
    .replace(/\(\d+ implemented on this node\)/, '(? implemented)');

describe('deploy/crds and docs/operations.md are generated from the schemas (CI check)', () => {
  it('deploy/crds/*.yaml are up to date', () => {
    for (const [file, text] of renderCrds()) {
      expect(
        readFileSync(join(root, 'deploy', 'crds', file), 'utf8'),
        `deploy/crds/${file} is stale: npm run generate`,
      ).toBe(text);
    }
  });

  it('docs/operations.md is up to date (implemented markers aside: they follow the kind index files)', () => {
    expect(
      withoutImplemented(readFileSync(join(root, 'docs', 'operations.md'), 'utf8')),
      'docs/operations.md is stale: npm run generate',
    ).toBe(withoutImplemented(renderOperationsDoc(createRegistry())));
  });
});

describe('CRD lifecycle fragments', () => {
  it('list every documented operation of the kind under spec.lifecycle, preserving unknown fields', () => {
    const registry = createRegistry([]);
    for (const info of KINDS) {
      const crd = crdFor(info) as {
        spec: { versions: Array<{ schema: { openAPIV3Schema: { properties: { spec: Props } } } }> };
      };
      const spec = crd.spec.versions[0]!.schema.openAPIV3Schema.properties.spec;
      expect(spec['x-kubernetes-preserve-unknown-fields']).toBe(true);
      const lifecycle = spec.properties['lifecycle']!;
      expect(lifecycle['x-kubernetes-preserve-unknown-fields']).toBe(true);
      expect(Object.keys(lifecycle.properties)).toEqual(
        registry
          .list()
          .filter((e) => e.kind === info.kind)
          .map((e) => e.name),
      );
    }
  });

  it('use only keys the apiextensions API knows, and no value constraints', () => {
    const allowed = new Set([
      'type',
      'description',
      'properties',
      'x-kubernetes-preserve-unknown-fields',
      'x-kubernetes-int-or-string',
    ]);
    const walk = (node: Record<string, unknown>, at: string) => {
      for (const [k, v] of Object.entries(node)) {
        expect(allowed.has(k), `${at}.${k}`).toBe(true);
        if (k === 'properties') {
          for (const [name, child] of Object.entries(v as Record<string, Record<string, unknown>>))
            walk(child, `${at}.${name}`);
        }
      }
    };
    for (const [file, text] of renderCrds()) {
      const doc = parse(text) as {
        spec: {
          versions: Array<{
            schema: {
              openAPIV3Schema: {
                properties: { spec: { properties: { lifecycle: Record<string, unknown> } } };
              };
            };
          }>;
        };
      };
      walk(doc.spec.versions[0]!.schema.openAPIV3Schema.properties.spec.properties.lifecycle, file);
    }
  });
});

describe('docs/operations.md', () => {
  it('covers every kind, operation and parameter with type, required, constraint, example and implemented', () => {
    const registry = createRegistry([]);
    const doc = renderOperationsDoc(registry);
    expect(doc).toContain('The 110 lifecycle operations');
    for (const e of registry.list()) {
      expect(doc).toContain(`### ${e.name}\n`);
      for (const p of Object.keys(e.spec.params.properties)) expect(doc).toContain(`| \`${p}\`<br>`);
    }
    expect(doc).toMatch(/\| `capacity`<br>[^|]*\| integer \(B\) \| yes \|/);
    expect(doc).toContain('Implemented on this node: **no**');
    expect(doc).toContain('Also accepted: `newvol` → `newname`.');
  });
});
