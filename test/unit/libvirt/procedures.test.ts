import { describe, expect, it } from 'vitest';
import { LibvirtClient } from '../../../src/libvirt/client.js';
import { Program } from '../../../src/libvirt/packet.js';
import { procedures } from '../../../src/libvirt/procedures/index.js';

describe('procedure table', () => {
  const entries = Object.entries(procedures);

  it('has one number per program and procedure, and unique libvirt names', () => {
    const keys = entries.map(([, p]) => `${p.program}:${p.number}`);
    expect(new Set(keys).size).toBe(keys.length);
    const names = entries.map(([, p]) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const [, p] of entries) {
      expect([Program.REMOTE, Program.QEMU]).toContain(p.program);
      expect(p.name).toMatch(/^[A-Z0-9_]+$/);
    }
  });

  it('names each entry as the C API without vir, camelCased', () => {
    for (const [key, p] of entries) {
      const fromName = p.name
        .replace(/^QEMU_/, 'qemu_')
        .toLowerCase()
        .replace(/_([a-z0-9])/g, (_, ch: string) => ch.toUpperCase());
      // XML, UUID, ID, CPU and SSH keep libvirt's capitals (domainDefineXMLFlags, storagePoolLookupByUUID).
      expect(key.toLowerCase()).toBe(fromName.toLowerCase());
    }
  });

  it('every public wrapper is a method of LibvirtClient', () => {
    const methods = new Set<string>();
    for (
      let proto = LibvirtClient.prototype;
      proto && proto !== Object.prototype;
      proto = Object.getPrototypeOf(proto)
    ) {
      for (const name of Object.getOwnPropertyNames(proto)) methods.add(name);
    }
    const internal = new Set([
      'connectOpen',
      'connectClose',
      'connectSupportsFeature',
      'authList',
      'authPolkit',
      'connectDomainEventCallbackRegisterAny',
      'connectDomainEventCallbackDeregisterAny',
      'connectStoragePoolEventRegisterAny',
      'connectStoragePoolEventDeregisterAny',
      'domainMigratePerform3Params',
    ]);
    const missing = entries.map(([k]) => k).filter((k) => !internal.has(k) && !methods.has(k));
    expect(missing).toEqual([]);
  });
});
