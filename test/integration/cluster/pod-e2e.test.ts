/**
 * The agent in its pod, on the real kubelet of cluster mode (`scripts/testbed up --cluster`): the
 * chart is installed as an operator would (helm built from its Go module), the DaemonSet rolls out
 * on the node labelled doslab.io/kvm-host=true, and the agent in the pod carries out createPool →
 * createDisk → createAndStartVMFromISO → deleteVM on the host's libvirtd. Killing its container
 * keeps the journal (a hostPath) and the restarted agent becomes ready again. Without cluster mode
 * this file fails loudly (it never skips).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../../src/agent/kube/client.js';
import type { KindName, KubeObject } from '../../../src/kinds.js';
import { buildTestIso } from '../../fixtures/e2e/iso.js';
import {
  adminClient,
  cleanupNode,
  create,
  mergePatch,
  waitFor,
  waitGone,
  waitingOf,
  waitOperation,
} from '../agent/harness.js';
import { domstate, removeDomain, vmParams } from '../e2e/helpers.js';
import { testbedEnv } from '../testbed-env.js';

const env = testbedEnv();
const node = process.env.KUBESTACK_CLUSTER_NODE ?? '';
const containerdSock = process.env.KUBESTACK_CONTAINERD_SOCK ?? '';
const NS = 'kubestack-system';
const JOURNAL = '/var/lib/kubestack-agent';
const id = randomBytes(3).toString('hex');
const root = `/var/lib/libvirt/dp18-${id}`;
const pool = `dp18-pool-${id}`;
const disk = `dp18-disk-${id}`;
const vm = `dp18-vm-${id}`;
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
let admin: KubeClient;
let helm = '';
let iso = '';

const kubectl = (args: string[], reject = true) =>
  execa('kubectl', ['--kubeconfig', env.kubeconfig, ...args], { reject });

function sdk(kind: KindName, name: string, op: string, params: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'doslab.io/v1',
    kind,
    metadata: {
      name,
      namespace: 'default',
      labels: { host: node, 'kubestack.label.event.id': `${op}.${id}` },
    },
    spec: { nodeName: node, lifecycle: { [op]: params } },
  };
}

interface PodJson {
  metadata?: { name?: string; deletionTimestamp?: string };
  spec?: { nodeName?: string };
  status?: { containerStatuses?: Array<{ ready?: boolean; restartCount?: number; containerID?: string }> };
}

/** The agent pod of the cluster node: name, ready, restart count. */
async function agentPod(): Promise<{ name: string; ready: boolean; restarts: number; containerId: string }> {
  const r = await kubectl([
    '-n',
    NS,
    'get',
    'pods',
    '-l',
    'app.kubernetes.io/name=kubestack-agent',
    '-o',
    'json',
  ]);
  const pods = (JSON.parse(r.stdout) as { items: PodJson[] }).items;
  const p = pods.find((x) => x.spec?.nodeName === node && !x.metadata?.deletionTimestamp);
  const cs = p?.status?.containerStatuses?.[0];
  return {
    name: String(p?.metadata?.name ?? ''),
    ready: cs?.ready === true,
    restarts: Number(cs?.restartCount ?? 0),
    containerId: String(cs?.containerID ?? '').replace(/^containerd:\/\//, ''),
  };
}

beforeAll(async () => {
  if (!node || !containerdSock)
    throw new Error(
      'cluster mode is not up: run `scripts/testbed up --cluster` (KUBESTACK_CLUSTER_NODE unset)',
    );
  admin = adminClient();
  helm = (
    await execa('bash', ['scripts/testbed.d/build-k8s.sh', 'helm'], { timeout: 900_000 })
  ).stdout.trim();
  await mkdir(root, { recursive: true });
  iso = await buildTestIso(join(root, 'iso'), 'installer');
}, 900_000);

afterAll(async () => {
  await removeDomain(vm).catch(() => undefined);
  await cleanupNode(admin, node).catch(() => undefined);
  await execa(helm, ['uninstall', 'kubestack-agent', '-n', NS, '--wait', '--timeout', '2m'], {
    reject: false,
    env: { KUBECONFIG: env.kubeconfig },
  });
  await execa('virsh', ['-c', 'qemu:///system', 'pool-destroy', pool], { reject: false });
  await execa('virsh', ['-c', 'qemu:///system', 'pool-undefine', pool], { reject: false });
  await rm(root, { recursive: true, force: true });
  admin?.close();
}, 300_000);

describe('the agent in its pod (cluster mode)', () => {
  it('helm install rolls the DaemonSet out to Ready on the KVM node', { timeout: 400_000 }, async () => {
    await kubectl(['apply', '-f', 'deploy/00-namespace.yaml']);
    const server = new URL(
      (await kubectl(['config', 'view', '--minify', '-o', 'jsonpath={.clusters[0].cluster.server}'])).stdout,
    );
    const t0 = Date.now();
    // Host network without kube-proxy: the pod reaches the apiserver directly, not through the
    // kubernetes Service's cluster IP.
    const r = await execa(
      helm,
      [
        'upgrade',
        '--install',
        'kubestack-agent',
        'deploy/helm/kubestack-agent',
        '-n',
        NS,
        '--set',
        `image.tag=${pkg.version}`,
        '--set',
        'metrics.port=19180',
        '--set',
        'extraEnv[0].name=KUBERNETES_SERVICE_HOST',
        '--set',
        `extraEnv[0].value=${server.hostname}`,
        '--set',
        'extraEnv[1].name=KUBERNETES_SERVICE_PORT',
        '--set-string',
        `extraEnv[1].value=${server.port}`,
        '--wait',
        '--timeout',
        '5m',
      ],
      { reject: false, env: { KUBECONFIG: env.kubeconfig } },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    await waitFor('agent pod Ready', async () => (await agentPod()).ready, 300_000);
    const seconds = (Date.now() - t0) / 1000;
    process.stdout.write(`{"figure": "helm_install_to_pod_ready", "seconds": ${seconds.toFixed(1)}}\n`);
    const ip = (
      await kubectl(['-n', NS, 'get', 'pod', (await agentPod()).name, '-o', 'jsonpath={.status.podIP}'])
    ).stdout;
    const ready = await execa('curl', ['-sf', `http://${ip}:19180/readyz`], { reject: false });
    expect(ready.exitCode, ready.stdout).toBe(0);
  });

  it('createPool → createDisk → createAndStartVMFromISO → deleteVM, by the agent in the pod', {
    timeout: 400_000,
  }, async () => {
    await create(
      admin,
      sdk('VirtualMachinePool', pool, 'createPool', {
        type: 'dir',
        content: 'vmd',
        url: join(root, pool),
        'auto-start': true,
      }),
    );
    expect(waitingOf(await waitOperation(admin, 'VirtualMachinePool', pool, 'createPool'))?.reason).toBe(
      'Ready',
    );
    await create(
      admin,
      sdk('VirtualMachineDisk', disk, 'createDisk', {
        type: 'localfs',
        pool,
        capacity: '1073741824',
        format: 'qcow2',
      }),
    );
    expect(waitingOf(await waitOperation(admin, 'VirtualMachineDisk', disk, 'createDisk'))?.reason).toBe(
      'Ready',
    );
    await create(
      admin,
      sdk('VirtualMachine', vm, 'createAndStartVMFromISO', vmParams(join(root, pool, disk, disk), iso)),
    );
    const started = await waitOperation(admin, 'VirtualMachine', vm, 'createAndStartVMFromISO', 120_000);
    expect(waitingOf(started)).toEqual({ reason: 'Running', message: 'The VM is Running' });
    expect(await domstate(vm)).toBe('running');
    // deleteVM refuses a running VM (as documented): power it off first
    await mergePatch(admin, 'VirtualMachine', vm, { spec: { lifecycle: { stopVMForce: {} } } });
    await waitOperation(admin, 'VirtualMachine', vm, 'stopVMForce', 60_000);
    await mergePatch(admin, 'VirtualMachine', vm, { spec: { lifecycle: { deleteVM: {} } } });
    await waitGone(admin, 'VirtualMachine', vm);
    expect(await domstate(vm)).toBe('absent');
  });

  it('a killed container restarts, keeps its journal and is ready again', { timeout: 300_000 }, async () => {
    const before = await agentPod();
    expect(existsSync(JOURNAL)).toBe(true);
    const journal = readdirSync(JOURNAL);
    expect(journal.length).toBeGreaterThan(0);
    await execa('ctr', [
      '--address',
      containerdSock,
      '-n',
      'k8s.io',
      'tasks',
      'kill',
      '-s',
      'SIGKILL',
      before.containerId,
    ]);
    await waitFor(
      'container restarted and Ready',
      async () => {
        const p = await agentPod();
        return p.name === before.name && p.restarts > before.restarts && p.ready;
      },
      240_000,
    );
    for (const f of journal) expect(existsSync(join(JOURNAL, f)), f).toBe(true);
  });
});
