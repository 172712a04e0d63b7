/**
 * The Helm chart (deploy/helm/kubestack-agent), with helm built from its Go module (cached by
 * scripts/testbed.d/build-k8s.sh): `helm lint`, `helm template | kubectl apply --dry-run=server`
 * against the test bed's apiserver, and the rendered objects equal deploy/'s (labels aside).
 */
import { readFileSync } from 'node:fs';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { testbedEnv } from '../testbed-env.js';

/** What to do when the apiserver forbids privileged pods (an apiserver started without the flag). */
const PRIVILEGED_HINT =
  '\n(the DaemonSet is privileged: the apiserver must run with --allow-privileged=true, as scripts/testbed.d/kube.sh starts it)';

const env = testbedEnv();
const CHART = 'deploy/helm/kubestack-agent';
const NS = 'kubestack-system';
type Obj = { kind: string; metadata: { name: string; labels?: unknown }; [k: string]: unknown };

let helm = '';
const docs = (text: string): Obj[] =>
  parseAllDocuments(text)
    .map((d) => d.toJS() as Obj | null)
    .filter((d): d is Obj => d !== null);
const byKind = (objs: Obj[], kind: string): Obj => {
  const o = objs.find((x) => x.kind === kind);
  if (!o) throw new Error(`no ${kind} rendered`);
  return o;
};

async function render(...set: string[]): Promise<string> {
  const r = await execa(helm, [
    'template',
    'kubestack-agent',
    CHART,
    '-n',
    NS,
    ...set.flatMap((s) => ['--set', s]),
  ]);
  return r.stdout;
}

describe('Helm chart', () => {
  beforeAll(async () => {
    const built = await execa('bash', ['scripts/testbed.d/build-k8s.sh', 'helm'], { timeout: 900_000 });
    helm = built.stdout.trim();
  }, 900_000);

  it('lints and carries the package version', async () => {
    const lint = await execa(helm, ['lint', CHART], { reject: false });
    expect(lint.exitCode, lint.stdout).toBe(0);
    const chart = parse(readFileSync(`${CHART}/Chart.yaml`, 'utf8')) as {
      version: string;
      appVersion: string;
    };
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect([chart.version, chart.appVersion]).toEqual([pkg.version, pkg.version]);
  });

  it('renders what the apiserver accepts (server-side dry run)', async () => {
    await execa('kubectl', ['--kubeconfig', env.kubeconfig, 'apply', '-f', 'deploy/00-namespace.yaml']);
    const r = await execa(
      'kubectl',
      ['--kubeconfig', env.kubeconfig, 'apply', '--dry-run=server', '-f', '-'],
      {
        input: await render(),
        reject: false,
      },
    );
    expect(r.exitCode, `${r.stderr}${PRIVILEGED_HINT}`).toBe(0);
    expect(r.stdout).toContain('daemonset.apps/kubestack-agent created (server dry run)');
  });

  it('renders the same objects as deploy/ with the default values', async () => {
    const chart = docs(await render());
    const plain = ['rbac.yaml', 'config.yaml', 'daemonset.yaml', 'metrics-service.yaml'].flatMap((f) =>
      docs(readFileSync(`deploy/${f}`, 'utf8')),
    );
    const names = (objs: Obj[]) => objs.map((o) => `${o.kind}/${o.metadata.name}`).sort();
    expect(names(chart)).toEqual(names(plain));
    const podSpec = (o: Obj) =>
      (o as unknown as { spec: { template: { spec: unknown } } }).spec.template.spec;
    expect(podSpec(byKind(chart, 'DaemonSet'))).toEqual(podSpec(byKind(plain, 'DaemonSet')));
    expect(byKind(chart, 'ClusterRole').rules).toEqual(byKind(plain, 'ClusterRole').rules);
    expect(byKind(chart, 'Service').spec).toEqual(byKind(plain, 'Service').spec);
    const config = (o: Obj) =>
      parse((o as unknown as { data: Record<string, string> }).data['config.yaml'] ?? '');
    expect(config(byKind(chart, 'ConfigMap'))).toEqual(config(byKind(plain, 'ConfigMap')));
  });

  it('takes the image, node selector, namespaces, metrics port, concurrency and ServiceMonitor from values', async () => {
    const chart = docs(
      await render(
        'image.tag=9.9.9',
        'nodeSelector.role=hv',
        'namespaces={default,vms}',
        'metrics.port=9300',
        'concurrency=3',
        'metrics.serviceMonitor.enabled=true',
      ),
    );
    const text = JSON.stringify(byKind(chart, 'DaemonSet'));
    expect(text).toContain('kubestack/kubestack-agent:9.9.9');
    expect(text).toContain('"role":"hv"');
    expect(text).toContain('$(POD_IP):9300');
    const cfg = parse(
      (byKind(chart, 'ConfigMap') as unknown as { data: Record<string, string> }).data['config.yaml'] ?? '',
    );
    expect(cfg).toMatchObject({ namespaces: ['default', 'vms'], concurrency: 3 });
    expect(byKind(chart, 'ServiceMonitor').metadata.name).toBe('kubestack-agent');
  });
});
