/**
 * deploy/ as an operator applies it, checked by the test bed's real kube-apiserver: the Namespace
 * (applied for real, it holds nothing else), then every other manifest with a server-side dry run,
 * so admission (privileged pods, pod security, schema validation) judges them without creating
 * anything.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { testbedEnv } from '../testbed-env.js';

/** What to do when the apiserver forbids privileged pods (an apiserver started without the flag). */
const PRIVILEGED_HINT =
  '\n(the DaemonSet is privileged: the apiserver must run with --allow-privileged=true, as scripts/testbed.d/kube.sh starts it)';

const env = testbedEnv();
const kubectl = (args: string[]) =>
  execa('kubectl', ['--kubeconfig', env.kubeconfig, ...args], { reject: false });

/** The order docs/deploy.md gives (the CRDs are applied by the test bed already). */
const ORDERED = ['rbac.yaml', 'config.yaml', 'daemonset.yaml', 'metrics-service.yaml'];

describe('deploy/ manifests', () => {
  it('names every top-level manifest in the documented order', () => {
    const files = readdirSync('deploy').filter((f) => f.endsWith('.yaml'));
    expect(files.sort()).toEqual(['00-namespace.yaml', ...ORDERED].sort());
  });

  it('has the Namespace alone in its own file, labelled for privileged pods', () => {
    const docs = parseAllDocuments(readFileSync('deploy/00-namespace.yaml', 'utf8')).map((d) => d.toJS());
    expect(docs).toHaveLength(1);
    expect(docs[0].kind).toBe('Namespace');
    expect(docs[0].metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    for (const f of ORDERED) {
      const kinds = parseAllDocuments(readFileSync(`deploy/${f}`, 'utf8')).map((d) => d.toJS()?.kind);
      expect(kinds, f).not.toContain('Namespace');
    }
  });

  it('applies in order: Namespace for real, the rest with --dry-run=server', async () => {
    const ns = await kubectl(['apply', '-f', 'deploy/00-namespace.yaml']);
    expect(ns.exitCode, ns.stderr).toBe(0);
    const args = ['apply', '--dry-run=server', '-o', 'name'];
    for (const f of ORDERED) args.push('-f', `deploy/${f}`);
    const r = await kubectl(args);
    expect(r.exitCode, `${r.stderr}${PRIVILEGED_HINT}`).toBe(0);
    expect(r.stdout.split('\n').sort()).toEqual(
      [
        'clusterrole.rbac.authorization.k8s.io/kubestack-agent',
        'clusterrolebinding.rbac.authorization.k8s.io/kubestack-agent',
        'configmap/kubestack-agent',
        'daemonset.apps/kubestack-agent',
        'service/kubestack-agent-metrics',
        'serviceaccount/kubestack-agent',
      ].sort(),
    );
  });

  it('schedules on labelled KVM hosts only and tolerates no blanket taint', () => {
    const ds = parseAllDocuments(readFileSync('deploy/daemonset.yaml', 'utf8'))[0]?.toJS();
    const pod = ds.spec.template.spec;
    expect(pod.nodeSelector).toEqual({ 'doslab.io/kvm-host': 'true' });
    for (const t of pod.tolerations) expect(t.key, JSON.stringify(t)).toBeTruthy();
    for (const v of pod.volumes.filter((x: { hostPath?: unknown }) => x.hostPath))
      expect(v.hostPath.type, v.name).toBe('DirectoryOrCreate');
    const c = pod.containers[0];
    expect(c.livenessProbe.httpGet.path).toBe('/healthz');
    expect(c.readinessProbe.httpGet.path).toBe('/readyz');
    expect(c.resources.requests).toBeDefined();
    expect(c.resources.limits).toBeDefined();
  });
});
