/**
 * CreateAndStartVMFromISO: define a domain from the documented virt-install-style parameters
 * (a disk from a pool, an installer ISO as CD-ROM, a bridge NIC) and boot it.
 * Checked before anything changes on the host: the name is free, every disk and ISO file exists.
 * If the domain was defined but does not start, it is undefined again: a failed create leaves
 * nothing behind (the old daemon left a defined domain that blocked every retry).
 */
import { stat } from 'node:fs/promises';
import { AlreadyExistsError, errorMessage, InUseError, NotFoundError } from '../../errors.js';
import { buildDomainXml, type DiskDeviceSpec, domainSpecFromParams } from '../../libvirt/domain-xml/index.js';
import { DomainDefineFlags } from '../../libvirt/index.js';
import { readHeader } from '../../storage/qcow2-header.js';
import { defineOperation } from '../types.js';
import { libvirtDomainUse } from './domain-use.js';
import { expectState, findDomain, isActiveState, type Libvirt } from './domains.js';
import { bandwidthError, bindCreateTimeNics } from './nics.js';
import { CreateAndStartVMFromISO } from './params.gen.js';
import { libvirtOf, vmOutcome } from './shared.js';

/** Disk files of the pool layout have no extension: take the format from the file, not the name. */
async function withFileFormats(disks: readonly DiskDeviceSpec[]): Promise<DiskDeviceSpec[]> {
  return Promise.all(
    disks.map(async (d) => {
      if (d.source === undefined || d.sourceType !== 'file') return d;
      const st = await stat(d.source).catch(() => undefined);
      if (!st?.isFile()) {
        throw new NotFoundError(d.device === 'cdrom' ? 'ISO file' : 'disk file', d.source, {
          details: { field: d.device === 'cdrom' ? 'cdrom' : 'disk' },
        });
      }
      if (d.device !== 'disk') return d;
      const qcow2 = (await readHeader(d.source)).isQcow2;
      return { ...d, format: qcow2 ? 'qcow2' : 'raw' };
    }),
  );
}

/** A writable disk of another domain would fail at start with a lock error; say which domain. */
async function refuseDisksInUse(lv: Libvirt, disks: readonly DiskDeviceSpec[]): Promise<void> {
  const used = libvirtDomainUse(lv);
  for (const d of disks) {
    if (d.source === undefined || d.device !== 'disk' || d.readonly || d.shareable) continue;
    const u = await used(d.source);
    if (u) {
      throw new InUseError(
        `disk ${d.source} is used by ${u.running ? 'running' : 'defined'} domain '${u.domain}'`,
        {
          details: { field: 'disk', path: d.source, domain: u.domain },
        },
      );
    }
  }
}

export const createAndStartVMFromISO = defineOperation({
  ...CreateAndStartVMFromISO,
  locks: (p) => [`vm-create:${String(p.disk)}`],
  async handler(ctx, params) {
    const lv = libvirtOf(ctx);
    const spec = domainSpecFromParams(params, { name: ctx.name, nodeVirtType: ctx.services.virtType });
    if (await findDomain(lv, ctx.name)) throw new AlreadyExistsError('VM', ctx.name);
    const disks = await withFileFormats(spec.disks);
    await refuseDisksInUse(lv, disks);
    const net = await bindCreateTimeNics(ctx.services.ovnNb, ctx.name, spec.interfaces);
    const xml = buildDomainXml({ ...spec, disks, interfaces: net.nics });
    const dom = await lv.domainDefineXMLFlags(xml, DomainDefineFlags.VALIDATE).catch(async (err: unknown) => {
      await net.release();
      throw err;
    });
    try {
      await lv.domainCreate(dom);
      await expectState(lv, dom, isActiveState, 30_000, `starting VM '${ctx.name}'`, ctx.signal);
    } catch (err) {
      ctx.log.warn({ err: errorMessage(err) }, 'VM did not start; undefining it');
      await lv.domainDestroyFlags(dom, 0).catch(() => undefined);
      await lv.domainUndefineFlags(dom, 0).catch(() => undefined);
      await net.release();
      throw bandwidthError(err, spec.interfaces[0] ?? {});
    }
    ctx.log.info({ disks: disks.map((d) => d.source) }, 'VM defined and started');
    return vmOutcome(lv, dom);
  },
});
