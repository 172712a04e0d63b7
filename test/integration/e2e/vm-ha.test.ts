/**
 * autoStartVM as documented ("set the VM's high availability; a running VM gets it after a
 * restart"), through the real apiserver: libvirt autostart and the object's HA label follow each
 * other. Both spellings uni-virt knows are read (the Java SDK's `kubestack.label.ha`, the old
 * daemons' `ha`); the SDK's is the one written, and turning HA off removes both.
 */
import { describe, expect, it } from 'vitest';
import { get, mergePatch } from '../agent/harness.js';
import { virsh } from './helpers.js';
import { useGuestVm } from './vm-harness.js';

const g = useGuestVm('vc13-ha');
const labels = async () => (await get(g.admin, 'VirtualMachine', g.vm))?.metadata.labels ?? {};

describe('autoStartVM: libvirt autostart and the HA label', () => {
  it("on writes the SDK's label; off removes it and libvirt's autostart", async () => {
    // the harness's first request was autoStartVM {}
    expect(await virsh('dominfo', g.vm)).toMatch(/Autostart:\s+enable/);
    expect((await labels())['kubestack.label.ha']).toBe('true');
    await g.ok('autoStartVM', { disable: true });
    expect(await virsh('dominfo', g.vm)).toMatch(/Autostart:\s+disable/);
    expect(await labels()).not.toHaveProperty('kubestack.label.ha');
  });
  it("the old daemons' `ha` label counts as HA on: kept, not doubled; off removes it too", async () => {
    await mergePatch(g.admin, 'VirtualMachine', g.vm, { metadata: { labels: { ha: 'yes' } } });
    await g.ok('autoStartVM', {});
    expect(await virsh('dominfo', g.vm)).toMatch(/Autostart:\s+enable/);
    const on = await labels();
    expect(on['ha']).toBe('yes');
    expect(on).not.toHaveProperty('kubestack.label.ha');
    await g.ok('autoStartVM', { disable: true });
    const off = await labels();
    expect(off).not.toHaveProperty('ha');
    expect(off).not.toHaveProperty('kubestack.label.ha');
    expect(off['host']).toBeDefined(); // ownership untouched
  });
});
