/**
 * The storage engine's "does a domain use this file?" answered by libvirt itself: every domain's
 * live XML (running) and persistent XML (defined), looking at disk sources and their backing
 * stores. Works wherever the agent runs (host or container), unlike scanning libvirt's files.
 */
import { InUseError } from '../../errors.js';
import type { DiskDeviceSpec } from '../../libvirt/domain-xml/index.js';
import { DomainXMLFlags } from '../../libvirt/index.js';
import type { DomainUse, DomainUseCheck } from '../../storage/index.js';
import { xmlNamesFile } from '../../xml-text.js';
import { domainState, isActiveState, isNoDomain, type Libvirt } from './domains.js';

export function libvirtDomainUse(lv: Libvirt): DomainUseCheck {
  return async (path: string): Promise<DomainUse | undefined> => {
    let defined: string | undefined;
    for (const dom of await lv.connectListAllDomains(0)) {
      try {
        const running = isActiveState(await domainState(lv, dom));
        if (running && xmlNamesFile(await lv.domainGetXMLDesc(dom, 0), path))
          return { domain: dom.name, running: true };
        if (!defined && xmlNamesFile(await lv.domainGetXMLDesc(dom, DomainXMLFlags.INACTIVE), path))
          defined = dom.name;
      } catch (err) {
        if (!isNoDomain(err)) throw err; // undefined while we looked: not a user
      }
    }
    return defined ? { domain: defined, running: false } : undefined;
  };
}

/**
 * Refuses a disk another domain (running or only defined) already uses, unless the new use is
 * read-only or shareable, as libvirt allows: a second writer would corrupt it or stop the other
 * VM from booting. CD-ROMs are read-only by nature.
 */
export async function refuseDisksInUse(
  lv: Libvirt,
  disks: readonly Pick<DiskDeviceSpec, 'source' | 'device' | 'readonly' | 'shareable'>[],
  field = 'disk',
): Promise<void> {
  const used = libvirtDomainUse(lv);
  for (const d of disks) {
    if (d.source === undefined || d.device === 'cdrom' || d.readonly || d.shareable) continue;
    const u = await used(d.source);
    if (u) {
      throw new InUseError(
        `disk ${d.source} is used by ${u.running ? 'running' : 'defined'} domain '${u.domain}'`,
        { details: { field, path: d.source, domain: u.domain } },
      );
    }
  }
}
