/**
 * UpdateOS: the system disk `source` of a shut-off VM gets a fresh copy of the template image
 * `target` (flattened to qcow2). The old disk is kept beside it (`<source>.old-<time>`, named in
 * the result); the VM's definition keeps the same path, so nothing else that names the disk changes.
 */
import { existsSync } from 'node:fs';
import { readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InUseError, ValidationError } from '../../errors.js';
import { diskByTarget, replaceDiskSource } from '../../libvirt/domain-xml/index.js';
import { DomainXMLFlags } from '../../libvirt/index.js';
import { lockNames } from '../../lock-names.js';
import { confineRealPath } from '../../paths.js';
import { convert, info } from '../../storage/qemu-img.js';
import { defineOperation, type OperationContext, type RecoveryResult } from '../types.js';
import { domainState, isActiveState, type Libvirt, lookupDomain } from './domains.js';
import { checkMedia } from './media.js';
import { otherDomainsUsing } from './other-users.js';
import { UpdateOS, type UpdateOSParams } from './params.gen.js';
import { type DomainDisk, domainDisks, libvirtOf, vmOutcome } from './shared.js';

export const updateOS = defineOperation({
  ...UpdateOS,
  locks: (p) => [lockNames.diskFile(p.source), lockNames.diskFile(p.target)],
  async handler(ctx, p) {
    const source = await confineRealPath(p.source, 'source');
    const template = await checkMedia(p.target, 'target', false);
    if (template === source) throw new ValidationError('the template is the disk to be replaced', 'target');
    const lv = libvirtOf(ctx);
    const dom = await lookupDomain(lv, ctx.name);
    if (isActiveState(await domainState(lv, dom))) {
      throw new ValidationError(
        `VM '${ctx.name}' is running: stop it first (updateOS replaces its system disk)`,
      );
    }
    const xml = await lv.domainGetXMLDesc(dom, DomainXMLFlags.INACTIVE | DomainXMLFlags.SECURE);
    const disk = domainDisks(xml).find((d) => d.device === 'disk' && d.source === source);
    if (!disk) throw new ValidationError(`VM '${ctx.name}' has no disk '${p.source}'`, 'source');
    const users = await otherDomainsUsing(lv, ctx.name, source);
    if (users.length > 0) throw new InUseError(`disk '${p.source}' is also used by VM ${users.join(', ')}`);
    await info(template); // a readable image, or a clear qemu-img error before anything changes
    const stamp = Date.now();
    const fresh = `${source}.new-${stamp}`;
    const old = `${source}.old-${stamp}`;
    try {
      await convert(template, fresh, { targetFormat: 'qcow2' }, { signal: ctx.signal });
    } catch (err) {
      await rm(fresh, { force: true });
      throw err;
    }
    await rename(source, old);
    await rename(fresh, source);
    await defineAsQcow2(lv, xml, disk);
    return vmOutcome(ctx, dom, replacedMessage(disk.target, template, old));
  },
  recover: recoverSwap,
});

const replacedMessage = (target: string, template: string, old: string) =>
  `disk ${target} replaced by a copy of '${template}'; the old disk is kept as '${old}'`;

/** The copy is qcow2: a definition that named another format says so now. */
async function defineAsQcow2(lv: Libvirt, xml: string, disk: DomainDisk): Promise<void> {
  if (disk.format !== 'qcow2' && diskByTarget(xml, disk.target) && disk.source) {
    await lv.domainDefineXMLFlags(replaceDiskSource(xml, disk.target, disk.source, 'qcow2'), 0);
  }
}

/**
 * After a crash: the system disk renamed away with the finished copy beside it → the swap is
 * completed (finished); a copy left while the disk is in place → the copy is removed (undone).
 */
async function recoverSwap(ctx: OperationContext, p: UpdateOSParams): Promise<RecoveryResult> {
  const source = await confineRealPath(p.source, 'source');
  const dir = dirname(source);
  const names = await readdir(dir).catch(() => [] as string[]);
  const prefix = (what: string) => `${basename(source)}.${what}-`;
  const fresh = names.filter((n) => n.startsWith(prefix('new'))).sort();
  if (existsSync(source)) {
    if (fresh.length === 0) return undefined;
    for (const f of fresh) await rm(join(dir, f), { force: true });
    return { undone: true };
  }
  const last = fresh.at(-1);
  const old = last && join(dir, `${prefix('old')}${last.slice(prefix('new').length)}`);
  if (!last || !old || !existsSync(old)) return undefined;
  await rename(join(dir, last), source);
  const lv = libvirtOf(ctx);
  const dom = await lookupDomain(lv, ctx.name);
  const xml = await lv.domainGetXMLDesc(dom, DomainXMLFlags.INACTIVE | DomainXMLFlags.SECURE);
  const disk = domainDisks(xml).find((d) => d.device === 'disk' && d.source === source);
  if (disk) await defineAsQcow2(lv, xml, disk);
  return { outcome: await vmOutcome(ctx, dom, replacedMessage(disk?.target ?? '?', p.target, old)) };
}
