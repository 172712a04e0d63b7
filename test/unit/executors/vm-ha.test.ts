/** The HA label (both spellings read, the SDK's written) and its write through the status writer. */
import { describe, expect, it } from 'vitest';
import type { KubeClient } from '../../../src/agent/kube/client.js';
import { StatusWriter } from '../../../src/agent/status-writer.js';
import { haLabels, hasHaLabel } from '../../../src/executors/virtual-machine/ha.js';
import { bootTargets, kibOf } from '../../../src/executors/virtual-machine/recover-config.js';
import type { KubeObject } from '../../../src/kinds.js';

const vm = (labels: Record<string, string>): KubeObject => ({
  apiVersion: 'doslab.io/v1',
  kind: 'VirtualMachine',
  metadata: { name: 'vm1', namespace: 'default', uid: 'u1', labels: { host: 'n1', ...labels } },
  spec: {},
});

describe('HA label', () => {
  it('reads both spellings', () => {
    expect(hasHaLabel(vm({ 'kubestack.label.ha': 'true' }))).toBe(true);
    expect(hasHaLabel(vm({ ha: '' }))).toBe(true);
    expect(hasHaLabel(vm({}))).toBe(false);
  });
  it("on writes the SDK's spelling unless one is there; off removes both", () => {
    expect(haLabels(vm({}), true)).toEqual({ 'kubestack.label.ha': 'true' });
    expect(haLabels(vm({ ha: 'yes' }), true)).toEqual({});
    expect(haLabels(vm({ ha: 'yes' }), false)).toEqual({ 'kubestack.label.ha': null, ha: null });
  });
});

describe('status writer: labels in the same guarded write as the members', () => {
  const writerWith = (sent: unknown[]) =>
    new StatusWriter({
      request: async (_m: string, _p: string, o: { body: unknown }) => {
        sent.push(o.body);
        return vm({});
      },
    } as unknown as KubeClient);
  it('adds, removes only present labels, never touches host, skips an unchanged write', async () => {
    const sent: unknown[] = [];
    const w = writerWith(sent);
    await w.writeMembers(
      vm({ ha: 'x' }),
      {},
      { 'kubestack.label.ha': 'true', ha: null, gone: null, host: 'n2' },
    );
    expect(sent[0]).toEqual([
      { op: 'test', path: '/metadata/uid', value: 'u1' },
      { op: 'add', path: '/metadata/labels/kubestack.label.ha', value: 'true' },
      { op: 'remove', path: '/metadata/labels/ha' },
    ]);
    expect(
      await w.writeMembers(vm({ 'kubestack.label.ha': 'true' }), {}, { 'kubestack.label.ha': 'true' }),
    ).toBe(undefined);
    expect(sent).toHaveLength(1);
  });
});

describe('what configuration recovery reads', () => {
  it('per-device boot order and KiB figures', () => {
    const xml = `<domain><memory unit='KiB'>262144</memory><currentMemory unit='KiB'>131072</currentMemory><devices>
      <disk type='file' device='disk'><target dev='vda' bus='virtio'/><boot order='2'/></disk>
      <disk type='file' device='cdrom'><target dev='sda' bus='sata'/><boot order='1'/></disk></devices></domain>`;
    expect(bootTargets(xml)).toEqual(['sda', 'vda']);
    expect(kibOf(xml, 'memory')).toBe(262144);
    expect(kibOf(xml, 'currentMemory')).toBe(131072);
  });
});
