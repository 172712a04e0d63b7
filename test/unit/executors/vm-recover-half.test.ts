/**
 * Crash recovery of a VM change that a crash cut between its two libvirt calls (live, then the
 * definition): a media change is completed, a console password is put back. libvirt is an
 * in-memory stand-in holding two domain XMLs; the same paths run against libvirtd in the kill -9
 * matrix (vm-devices, vm-config groups), where a kill only sometimes lands between the two calls.
 */
import { describe, expect, it } from 'vitest';
import type { OperationContext } from '../../../src/executors/types.js';
import { completeMedia, mediaChanged } from '../../../src/executors/virtual-machine/media.js';
import { recoverChange } from '../../../src/executors/virtual-machine/recover-change.js';
import { setVncPassword } from '../../../src/executors/virtual-machine/set-vnc-password.js';
import { DOMAIN_STATE, DomainXMLFlags } from '../../../src/libvirt/index.js';
import { createLogger } from '../../../src/log.js';

const CONFIG = 2; // VIR_DOMAIN_AFFECT_CONFIG, as update-device takes it

const cdrom = (file?: string) =>
  `<disk type='file' device='cdrom'><driver name='qemu' type='raw'/>${file ? `<source file='${file}'/>` : ''}<target dev='sda' bus='sata'/><readonly/></disk>`;
const vnc = (passwd?: string) =>
  `<graphics type='vnc' port='-1' autoport='yes'${passwd ? ` passwd='${passwd}'` : ''}/>`;
const domainXml = (devices: string) =>
  `<domain type='kvm'><name>vm1</name><uuid>00000000-0000-0000-0000-000000000001</uuid><memory unit='KiB'>131072</memory><currentMemory unit='KiB'>131072</currentMemory><vcpu>1</vcpu><os><type>hvm</type></os><devices>${devices}</devices></domain>`;

/** Two definitions; update-device replaces the element of the same kind in the ones it names. */
function fakeLibvirt(live: string, config: string) {
  const defs = { live, config };
  const updates: number[] = [];
  const dom = { name: 'vm1', uuid: new Uint8Array(16), id: 1 };
  const lv = {
    domainLookupByName: async () => dom,
    domainGetState: async () => ({ state: DOMAIN_STATE.RUNNING, reason: 1 }),
    domainGetXMLDesc: async (_d: unknown, flags = 0) =>
      flags & DomainXMLFlags.INACTIVE ? defs.config : defs.live,
    domainUpdateDeviceFlags: async (_d: unknown, xml: string, flags: number) => {
      updates.push(flags);
      const tag = /^<(\w+)/.exec(xml)?.[1] ?? '';
      const swap = (s: string) => s.replace(new RegExp(`<${tag}\\b[\\s\\S]*?(/>|</${tag}>)`), xml);
      if (flags & CONFIG) defs.config = swap(defs.config);
      else defs.live = swap(defs.live);
    },
  };
  return { lv, defs, updates };
}

function contextFor(lv: unknown): OperationContext {
  return {
    kind: 'VirtualMachine',
    namespace: 'default',
    name: 'vm1',
    nodeName: 'node1',
    log: createLogger('silent'),
    signal: new AbortController().signal,
    services: { libvirt: lv, virtType: 'kvm' },
  } as unknown as OperationContext;
}

describe('a media change cut in half', () => {
  // what manageISO's hook passes, once the medium's path has been checked
  const source = '/var/lib/libvirt/iso/new.iso';
  const check = {
    has: (xml: string) => mediaChanged(xml, { target: 'sda' }, source),
    complete: completeMedia({ target: 'sda' }, source, { force: true, block: false, field: 'path' }),
  };

  it('is completed in the definition the crash missed, and reported finished', async () => {
    const f = fakeLibvirt(domainXml(cdrom(source)), domainXml(cdrom('/var/lib/libvirt/iso/old.iso')));
    const r = await recoverChange(contextFor(f.lv), {}, check);
    expect(r && 'outcome' in r).toBe(true);
    expect(f.defs.config).toContain(`file='${source}'`);
    expect(f.updates).toEqual([CONFIG | 4]); // and VIR_DOMAIN_DEVICE_MODIFY_FORCE, as asked
  });

  it('in neither definition: undone, nothing changed', async () => {
    const old = domainXml(cdrom('/var/lib/libvirt/iso/old.iso'));
    const f = fakeLibvirt(old, old);
    expect(await recoverChange(contextFor(f.lv), {}, check)).toEqual({ undone: true });
    expect(f.updates).toEqual([]);
  });
});

describe('a console password cut in half', () => {
  it('the live password is put back to the definition’s: undone', async () => {
    const f = fakeLibvirt(domainXml(vnc('new-pass')), domainXml(vnc('old-pass')));
    expect(await setVncPassword.recover?.(contextFor(f.lv), {} as never)).toEqual({ undone: true });
    expect(f.defs.live).toContain("passwd='old-pass'");
    expect(f.updates).toEqual([1]); // VIR_DOMAIN_AFFECT_LIVE
  });

  it('equal in both: cannot tell whether it was set (interrupted), nothing changed', async () => {
    const f = fakeLibvirt(domainXml(vnc('same')), domainXml(vnc('same')));
    expect(await setVncPassword.recover?.(contextFor(f.lv), {} as never)).toBeUndefined();
    expect(f.updates).toEqual([]);
  });
});
