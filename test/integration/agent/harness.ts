/**
 * Shared set-up of the agent integration tests: an admin client for the test's own reads and
 * writes, a ServiceAccount token bound by deploy/rbac.yaml's ClusterRole for the agent itself
 * (never admin), object helpers, and a clean-up that strips finalizers and deletes what a test made.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { parseAllDocuments } from 'yaml';
import { KubeClient } from '../../../src/agent/kube/client.js';
import { collectionPath, objectPath } from '../../../src/agent/kube/paths.js';
import type { KubeObject } from '../../../src/kinds.js';
import { KINDS, type KindName } from '../../../src/kinds.js';
import { testbedEnv } from '../testbed-env.js';

export const NS = 'default';

export function adminClient(): KubeClient {
  return new KubeClient({ kubeconfig: testbedEnv().kubeconfig });
}

async function kubectl(args: string[], input?: string): Promise<string> {
  const r = await execa(
    'kubectl',
    ['--kubeconfig', testbedEnv().kubeconfig, ...args],
    input ? { input } : {},
  );
  return r.stdout;
}

/**
 * Applies deploy/rbac.yaml's ClusterRole, binds it to a ServiceAccount in `default` and returns
 * a kubeconfig that authenticates with that account's token.
 */
export async function agentKubeconfig(prefix: string): Promise<string> {
  const docs = parseAllDocuments(readFileSync('deploy/rbac.yaml', 'utf8')).map(
    (d) => d.toJSON() as KubeObject,
  );
  const role = docs.find((d) => d.kind === 'ClusterRole');
  if (!role) throw new Error('deploy/rbac.yaml has no ClusterRole');
  const roleName = `${prefix}-agent`;
  role.metadata.name = roleName;
  const sa = `${prefix}-agent`;
  await kubectl(['apply', '-f', '-'], JSON.stringify(role));
  await kubectl(['-n', NS, 'create', 'serviceaccount', sa, '--dry-run=client', '-o', 'json']).then((j) =>
    kubectl(['apply', '-f', '-'], j),
  );
  await kubectl([
    'create',
    'clusterrolebinding',
    roleName,
    `--clusterrole=${roleName}`,
    `--serviceaccount=${NS}:${sa}`,
    '--dry-run=client',
    '-o',
    'json',
  ]).then((j) => kubectl(['apply', '-f', '-'], j));
  const token = (await kubectl(['-n', NS, 'create', 'token', sa, '--duration=2h'])).trim();
  const admin = new KubeClient({ kubeconfig: testbedEnv().kubeconfig });
  const server = admin.server.toString();
  admin.close();
  const adminCfg = readFileSync(testbedEnv().kubeconfig, 'utf8');
  const ca = /certificate-authority:\s*(\S+)/.exec(adminCfg)?.[1];
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const path = join(dir, 'kubeconfig');
  writeFileSync(
    path,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: c\n  cluster:\n    server: ${server}\n    certificate-authority: ${ca}`,
      'users:',
      `- name: u\n  user:\n    token: ${token}`,
      'contexts:',
      '- name: x\n  context: { cluster: c, user: u, namespace: default }',
      'current-context: x',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  return path;
}

export async function removeAgentAccess(prefix: string): Promise<void> {
  await kubectl(['delete', 'clusterrolebinding', `${prefix}-agent`, '--ignore-not-found']);
  await kubectl(['delete', 'clusterrole', `${prefix}-agent`, '--ignore-not-found']);
  await kubectl(['-n', NS, 'delete', 'serviceaccount', `${prefix}-agent`, '--ignore-not-found']);
}

export function newObject(
  kind: KindName,
  name: string,
  node: string,
  spec: Record<string, unknown>,
  labels: Record<string, string> = {},
): KubeObject {
  return {
    apiVersion: 'doslab.io/v1',
    kind,
    metadata: { name, namespace: NS, labels: { host: node, ...labels } },
    spec,
  };
}

export async function create(c: KubeClient, obj: KubeObject): Promise<KubeObject> {
  return c.request<KubeObject>('POST', collectionPath(obj.kind as KindName, NS), { body: obj });
}

export async function get(c: KubeClient, kind: KindName, name: string): Promise<KubeObject | undefined> {
  try {
    return await c.request<KubeObject>('GET', objectPath(kind, NS, name));
  } catch (err) {
    if ((err as { status?: number }).status === 404) return undefined;
    throw err;
  }
}

export async function mergePatch(
  c: KubeClient,
  kind: KindName,
  name: string,
  body: unknown,
): Promise<KubeObject> {
  return c.request<KubeObject>('PATCH', objectPath(kind, NS, name), { body, patch: 'merge' });
}

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
  everyMs = 50,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export function waitingOf(obj: KubeObject | undefined): { reason?: string; message?: string } | undefined {
  return (
    obj?.spec?.status as { conditions?: { state?: { waiting?: { reason?: string; message?: string } } } }
  )?.conditions?.state?.waiting;
}

export function lastOperationOf(obj: KubeObject | undefined): Record<string, unknown> | undefined {
  return (obj?.status as { lastOperation?: Record<string, unknown> } | undefined)?.lastOperation;
}

/** Waits until the object's last operation `op` finished (acknowledged, no longer Running). */
export async function waitOperation(
  c: KubeClient,
  kind: KindName,
  name: string,
  op: string,
  timeoutMs = 60_000,
): Promise<KubeObject> {
  return waitFor(
    `${kind} ${name} ${op} finished`,
    async () => {
      const o = await get(c, kind, name);
      const last = lastOperationOf(o);
      return o && !o.spec?.lifecycle && last?.name === op && last.phase !== 'Running' ? o : undefined;
    },
    timeoutMs,
    25,
  );
}

/** Waits until the object is gone from the apiserver (a delete operation removes its CR). */
export async function waitGone(
  c: KubeClient,
  kind: KindName,
  name: string,
  timeoutMs = 60_000,
): Promise<void> {
  await waitFor(`${kind} ${name} deleted`, async () => !(await get(c, kind, name)), timeoutMs, 25);
}

/** Events about one object, as the apiserver has them. */
export async function eventsFor(c: KubeClient, name: string): Promise<Array<Record<string, unknown>>> {
  const list = await c.request<{ items: Array<Record<string, unknown>> }>(
    'GET',
    `/apis/events.k8s.io/v1/namespaces/${NS}/events`,
    { query: { fieldSelector: `regarding.name=${name}` } },
  );
  return list.items;
}

/** Deletes every object labelled host=<node>, stripping finalizers first so nothing hangs. */
export async function cleanupNode(c: KubeClient, node: string): Promise<void> {
  for (const info of KINDS) {
    const list = await c.request<{ items: KubeObject[] }>('GET', collectionPath(info.kind, NS), {
      query: { labelSelector: `host=${node}` },
    });
    for (const o of list.items) {
      const path = objectPath(info.kind, NS, o.metadata.name);
      await c
        .request('PATCH', path, { body: { metadata: { finalizers: null } }, patch: 'merge' })
        .catch(() => {});
      await c.request('DELETE', path).catch(() => {});
    }
  }
}

export function uniqueNode(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
}
