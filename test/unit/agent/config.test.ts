import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

describe('resolveConfig refuses values that are not valid ones', () => {
  it('names the source of a namespace with spaces (an env line whose comment systemd kept)', () => {
    expect(() => resolveConfig({}, { KUBESTACK_NAMESPACES: 'default    # comma-separated' })).toThrow(
      /KUBESTACK_NAMESPACES: .*namespace names/,
    );
    expect(() => resolveConfig({ namespaces: ['Upper'] }, {})).toThrow(/--namespaces/);
  });
  it('refuses bad numbers, booleans, log levels, addresses and paths', () => {
    const bad: Record<string, string> = {
      KUBESTACK_CONCURRENCY: '8 # per node',
      KUBESTACK_WATCHDOG_SECONDS: '1.5',
      KUBESTACK_DRY_RUN: 'maybe',
      KUBESTACK_LOG_LEVEL: 'loud',
      KUBESTACK_METRICS_ADDR: '0.0.0.0',
      KUBESTACK_JOURNAL_DIR: 'relative/dir',
      KUBESTACK_OVN_NB: '/var/run/ovn/ovnnb_db.sock',
    };
    for (const [name, value] of Object.entries(bad))
      expect(() => resolveConfig({}, { [name]: value }), name).toThrow(new RegExp(`^${name}: `));
  });
  it('accepts the documented forms', () => {
    const c = resolveConfig(
      {},
      {
        KUBESTACK_DRY_RUN: 'yes',
        KUBESTACK_METRICS_ADDR: '',
        KUBESTACK_OVN_NB: 'tcp:10.0.0.5:6641',
        KUBESTACK_NAMESPACES: 'default,vm-team-2',
      },
    );
    expect(c).toMatchObject({ dryRun: true, metricsAddr: '', ovnNb: 'tcp:10.0.0.5:6641' });
    expect(c.namespaces).toEqual(['default', 'vm-team-2']);
  });
});

/** KEY=value lines as systemd's EnvironmentFile= reads them: the whole rest of the line is the value. */
function readEnvFile(text: string, uncomment: boolean): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = uncomment ? raw.replace(/^#(?=[A-Z_]+=)/, '') : raw;
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m?.[1] !== undefined) env[m[1]] = m[2] ?? '';
  }
  return env;
}

describe('systemd/kubestack-agent.env', () => {
  const text = readFileSync('systemd/kubestack-agent.env', 'utf8');
  it('sets nothing as shipped, and every shown default is accepted once uncommented', () => {
    expect(readEnvFile(text, false)).toEqual({});
    const env = readEnvFile(text, true);
    expect(Object.keys(env).length).toBeGreaterThanOrEqual(15);
    const { KUBESTACK_CONFIG: _file, ...rest } = env;
    const c = resolveConfig({}, rest);
    expect(c.namespaces).toEqual(['default']);
    expect(c.concurrency).toBe(DEFAULTS.concurrency);
  });
  it('has no comment on a setting line', () => {
    for (const line of text.split('\n').filter((l) => /^#?[A-Z_]+=/.test(l))) expect(line).not.toMatch(/\s#/);
  });
});
