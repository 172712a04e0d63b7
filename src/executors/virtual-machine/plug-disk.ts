/**
 * PlugDisk: attach a disk file to a VM — live (hot-plug) when it runs, and to the persistent
 * definition. The flags follow the libvirt command line: live/config/persistent as given; none given = both for a
 * running VM, the definition only for a shut-off one. The target must be free.
 */

import type { Static } from '@sinclair/typebox';
import { AlreadyExistsError, ValidationError } from '../../errors.js';
import { buildDiskDeviceXml, type ResolvedDiskBus } from '../../libvirt/domain-xml/index.js';
import { DomainAffect } from '../../libvirt/index.js';
import { lockNames } from '../../lock-names.js';
import { resolveRequestPath } from '../../paths.js';
import { readHeader } from '../../storage/qcow2-header.js';
import { defineOperation } from '../types.js';
import { affectFlags } from './affect.js';
import { writeDiskDeviceFile } from './device-files.js';
import { refuseDisksInUse } from './domain-use.js';
import { domainState, isActiveState, lookupDomain } from './domains.js';
import { PlugDisk } from './params.gen.js';
import { recoverChange } from './recover-change.js';
import { domainDisks, libvirtOf, vmOutcome } from './shared.js';

function busOf(target: string, asked: string | undefined): ResolvedDiskBus {
  if (asked === 'xen' || asked === 'sd')
    throw new ValidationError(`bus '${asked}' is not supported here`, 'targetbus');
  if (asked) return asked as ResolvedDiskBus;
  if (target.startsWith('vd')) return 'virtio';
  if (target.startsWith('hd')) return 'ide';
  return 'scsi';
}

type Params = Static<typeof PlugDisk.params>;

/** The request's source as libvirt gets it: the real file (a symlink cannot lead out of the roots). */
function realSource(p: Params): Promise<string> {
  const block = p.sourcetype === 'block';
  return resolveRequestPath(p.source, 'source', {
    kind: block ? 'block' : 'file',
    what: block ? 'block device' : 'disk file',
  });
}

async function diskXmlOf(p: Params, source: string): Promise<string> {
  const block = p.sourcetype === 'block';
  const format = p.subdriver ?? (!block && (await readHeader(source)).isQcow2 ? 'qcow2' : 'raw');
  return buildDiskDeviceXml({
    source,
    sourceType: block ? 'block' : 'file',
    device: (p.type ?? 'disk') as 'disk' | 'cdrom' | 'floppy' | 'lun',
    format,
    bus: busOf(p.target, p.targetbus),
    target: p.target,
    readonly: p.mode === 'readonly' || p.type === 'cdrom',
    shareable: p.mode === 'shareable',
    cache: p.cache,
    iotune: {
      totalBytesSec: p.total_bytes_sec,
      readBytesSec: p.read_bytes_sec,
      writeBytesSec: p.write_bytes_sec,
      totalIopsSec: p.total_iops_sec,
      readIopsSec: p.read_iops_sec,
      writeIopsSec: p.write_iops_sec,
    },
  });
}

export const plugDisk = defineOperation({
  ...PlugDisk,
  locks: (p, ctx) => [lockNames.domain(ctx.name), lockNames.diskFile(p.source)],
  async handler(ctx, p) {
    const lv = libvirtOf(ctx);
    const dom = await lookupDomain(lv, ctx.name);
    const source = await realSource(p);
    const device = (p.type ?? 'disk') as 'disk' | 'cdrom' | 'floppy' | 'lun';
    const readonly = p.mode === 'readonly' || p.type === 'cdrom';
    const shareable = p.mode === 'shareable';
    const running = isActiveState(await domainState(lv, dom));
    const flags = affectFlags(p, running);
    const used = domainDisks(await lv.domainGetXMLDesc(dom, flags & DomainAffect.LIVE ? 0 : 2));
    if (used.some((d) => d.target === p.target)) {
      throw new AlreadyExistsError(`disk target of VM '${ctx.name}'`, p.target, {
        details: { field: 'target' },
      });
    }
    await refuseDisksInUse(lv, [{ source, device, readonly, shareable }], 'source');
    const xml = await diskXmlOf(p, source);
    await lv.domainAttachDeviceFlags(dom, xml, flags);
    await writeDiskDeviceFile(ctx.name, p.target, xml);
    return vmOutcome(ctx, dom);
  },
  /** The source at the target in every definition asked = attached: its device file is written now. */
  async recover(ctx, p) {
    const source = await realSource(p);
    return recoverChange(ctx, p, {
      has: (xml) => domainDisks(xml).some((d) => d.target === p.target && d.source === source),
      finish: async () => writeDiskDeviceFile(ctx.name, p.target, await diskXmlOf(p, source)),
    });
  },
});
