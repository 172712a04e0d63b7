import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, resolveConfig } from '../../../src/agent/config.js';
import { isOwnedBy } from '../../../src/agent/selection.js';
import type { KubeObject } from '../../../src/kinds.js';

describe('resolveConfig', () => {
  it('flags beat env, env beats the file, the file beats defaults', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ks-cfg-'));
    const file = join(dir, 'config.yaml');
    writeFileSync(file, 'concurrency: 3\nnamespaces: [a, b]\nnodeName: FileNode\nlogLevel: debug\n');
    const c = resolveConfig({ concurrency: '5' }, { NODE_NAME: 'EnvNode', KUBESTACK_CONCURRENCY: '4' }, file);
    expect(c.concurrency).toBe(5);
    expect(c.nodeName).toBe('envnode');
    expect(c.namespaces).toEqual(['a', 'b']);
    expect(c.logLevel).toBe('debug');
    expect(c.journalDir).toBe(DEFAULTS.journalDir);
  });
  it('parses lists, booleans and rejects bad numbers and names', () => {
    const c = resolveConfig({ namespaces: ['x', 'y'], dryRun: true }, { KUBESTACK_NAMESPACES: 'p,q' });
    expect(c.namespaces).toEqual(['x', 'y']);
    expect(c.dryRun).toBe(true);
    expect(resolveConfig({}, { KUBESTACK_NAMESPACES: 'p, q' }).namespaces).toEqual(['p', 'q']);
    expect(() => resolveConfig({ concurrency: 'lots' }, {})).toThrow(/concurrency/);
    expect(() => resolveConfig({ nodeName: 'bad/name' }, {})).toThrow(/node name/);
  });
});

describe('isOwnedBy', () => {
  const o = (labels: Record<string, string> | undefined, nodeName?: string): KubeObject =>
    ({
      apiVersion: 'v',
      kind: 'k',
      metadata: { name: 'n', ...(labels ? { labels } : {}) },
      spec: { nodeName },
    }) as KubeObject;
  it('the host label decides when present; spec.nodeName only when it is missing', () => {
    expect(isOwnedBy(o({ host: 'n1' }), 'n1')).toBe(true);
    expect(isOwnedBy(o({ host: 'n2' }, 'n1'), 'n1')).toBe(false);
    expect(isOwnedBy(o(undefined, 'n1'), 'n1')).toBe(true);
    expect(isOwnedBy(o({}, 'n2'), 'n1')).toBe(false);
  });
});
