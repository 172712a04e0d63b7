/** Smoke: the test bed's kube-apiserver serves our CRDs; create, read and watch a VirtualMachine. */
import { CustomObjectsApi, KubeConfig, Watch } from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import { testbedEnv } from '../testbed-env.js';

const env = testbedEnv();
const kc = new KubeConfig();
kc.loadFromFile(env.kubeconfig);
const api = kc.makeApiClient(CustomObjectsApi);
const name = `smoke-vm-${process.pid}`;
const target = { group: 'doslab.io', version: 'v1', namespace: 'default', plural: 'virtualmachines' };

describe('kube-apiserver smoke', () => {
  afterAll(async () => {
    await api.deleteNamespacedCustomObject({ ...target, name }).catch(() => undefined);
  });

  it('creates, reads and watches a VirtualMachine CR', async () => {
    const seen: string[] = [];
    const watch = new Watch(kc);
    let resolveAdded: () => void = () => undefined;
    const added = new Promise<void>((r) => {
      resolveAdded = r;
    });
    const req = await watch.watch(
      '/apis/doslab.io/v1/namespaces/default/virtualmachines',
      { labelSelector: `host=${env.nodeName}` },
      (type: string, obj: { metadata?: { name?: string } }) => {
        if (obj.metadata?.name === name) {
          seen.push(type);
          if (type === 'ADDED') resolveAdded();
        }
      },
      () => undefined,
    );
    try {
      await api.createNamespacedCustomObject({
        ...target,
        body: {
          apiVersion: 'doslab.io/v1',
          kind: 'VirtualMachine',
          metadata: { name, labels: { host: env.nodeName } },
          spec: { nodeName: env.nodeName, lifecycle: { startVM: {} }, domain: { name: { text: name } } },
        },
      });
      const got = (await api.getNamespacedCustomObject({ ...target, name })) as {
        spec: { lifecycle: unknown; domain: unknown };
      };
      // spec preserves unknown fields: clients keep their state there.
      expect(got.spec.lifecycle).toEqual({ startVM: {} });
      expect(got.spec.domain).toEqual({ name: { text: name } });
      await Promise.race([
        added,
        new Promise((_, reject) => setTimeout(() => reject(new Error('no ADDED event within 20 s')), 20_000)),
      ]);
      expect(seen).toContain('ADDED');
    } finally {
      req.abort();
    }
  });
});
