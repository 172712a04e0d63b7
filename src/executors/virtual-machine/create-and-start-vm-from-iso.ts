/**
 * CreateAndStartVMFromISO: define a domain from the documented virt-install-style parameters
 * (a disk from a pool, an installer ISO as CD-ROM, a bridge NIC) and boot it.
 * Checked before anything changes on the host: the name is free, every disk and ISO path resolves
 * (symlinks too) to a regular file inside the allowed roots, no other domain uses a writable disk.
 * If the domain was defined but does not start, it is undefined again: a failed create leaves
 * nothing behind (the old daemon left a defined domain that blocked every retry).
 */
import { AlreadyExistsError, errorMessage } from '../../errors.js';
import {
  assertSpecPathsConfined,
  buildDomainXml,
  type DiskDeviceSpec,
  type DomainSpec,
  domainSpecFromParams,
  parseDisk,
} from '../../libvirt/domain-xml/index.js';
import { DOMAIN_STATE, DomainDefineFlags, DomainXMLFlags } from '../../libvirt/index.js';
import { lockNames } from '../../lock-names.js';
import { readHeader } from '../../storage/qcow2-header.js';
import { defineOperation, type OperationContext } from '../types.js';
import { refuseDisksInUse } from './domain-use.js';
import { expectState, findDomain, isActiveState } from './domains.js';
import { bandwidthError, bindCreateTimeNics, releaseVmNetwork } from './nics.js';
import { CreateAndStartVMFromISO, type CreateAndStartVMFromISOParams } from './params.gen.js';
import { domainDisks, libvirtOf, vmOutcome } from './shared.js';

type Params = CreateAndStartVMFromISOParams;

/** Disk files of the pool layout have no extension: take the format from the file, not the name. */
async function withFileFormats(disks: readonly DiskDeviceSpec[]): Promise<DiskDeviceSpec[]> {
  return Promise.all(
    disks.map(async (d) => {
      if (d.source === undefined || d.sourceType !== 'file' || d.device !== 'disk') return d;
      const qcow2 = (await readHeader(d.source)).isQcow2;
      return { ...d, format: qcow2 ? 'qcow2' : 'raw' };
    }),
  );
}

/** The domain spec with every path resolved to its real file inside the roots. */
async function resolvedSpec(ctx: OperationContext, params: Params): Promise<DomainSpec> {
  const spec = domainSpecFromParams(params, { name: ctx.name, nodeVirtType: ctx.services.virtType });
  const real = await assertSpecPathsConfined(spec);
  return { ...real, disks: await withFileFormats(real.disks) };
}

/** The writable disks a request names: locked, so two creates cannot both take one file. */
function diskLocks(params: Params): string[] {
  return parseDisk(String(params.disk))
    .filter((d) => d.device !== 'cdrom')
    .map((d) => lockNames.diskFile(d.path));
}

/** True when the domain is the one this request defines: same disks (and same UUID when asked). */
async function isOurs(ctx: OperationContext, params: Params, xml: string): Promise<boolean> {
  // The journal keeps parameters redacted (graphics carries the VNC password): graphics has no
  // part in the disks or the UUID, so a plain one stands in for it.
  const comparable = { ...params, graphics: 'vnc,listen=0.0.0.0' };
  const spec = await resolvedSpec(ctx, comparable).catch(() => undefined);
  if (!spec) return false;
  if (spec.uuid !== undefined && !xml.includes(`<uuid>${spec.uuid}</uuid>`)) return false;
  const want = spec.disks.map((d) => d.source).sort();
  const have = domainDisks(xml)
    .map((d) => d.source)
    .sort();
  return want.length === have.length && want.every((s, i) => s === have[i]);
}

export const createAndStartVMFromISO = defineOperation({
  ...CreateAndStartVMFromISO,
  locks: (p, ctx) => [lockNames.domain(ctx.name), ...diskLocks(p)],
  async handler(ctx, params) {
    const lv = libvirtOf(ctx);
    if (await findDomain(lv, ctx.name)) throw new AlreadyExistsError('VM', ctx.name);
    const spec = await resolvedSpec(ctx, params);
    await refuseDisksInUse(lv, spec.disks);
    const net = await bindCreateTimeNics(ctx.services.ovnNb, ctx.name, spec.interfaces);
    const xml = buildDomainXml({ ...spec, interfaces: net.nics });
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
    ctx.log.info({ disks: spec.disks.map((d) => d.source) }, 'VM defined and started');
    return vmOutcome(ctx, dom);
  },
  /**
   * A crash after the define: a running domain of ours is the finished result; one defined but
   * never started (shut off, reason unknown) is undefined again, so a resubmit works. Undone
   * also releases the switch ports the run may have bound before its define.
   */
  async recover(ctx, params) {
    const lv = libvirtOf(ctx);
    const dom = await findDomain(lv, ctx.name);
    if (!dom) {
      await releaseVmNetwork(ctx.services.ovnNb, ctx.name);
      return { undone: true };
    }
    const xml = await lv.domainGetXMLDesc(dom, DomainXMLFlags.INACTIVE);
    if (!(await isOurs(ctx, params, xml))) return undefined;
    const { state, reason } = await lv.domainGetState(dom);
    if (isActiveState(state)) return { outcome: await vmOutcome(ctx, dom) };
    if (state === DOMAIN_STATE.SHUTOFF && reason === 0) {
      ctx.log.warn(
        { vm: ctx.name },
        'recovery: undefining the never-started domain of an interrupted create',
      );
      await lv.domainUndefineFlags(dom, 0);
      await releaseVmNetwork(ctx.services.ovnNb, ctx.name);
      return { undone: true };
    }
    return undefined;
  },
});
