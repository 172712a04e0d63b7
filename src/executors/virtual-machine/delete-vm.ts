/**
 * DeleteVM: undefine a shut-off VM (a running one is refused: stop it first, as documented), with
 * its managed-save image, checkpoint metadata, snapshot metadata when `snapshots_metadata` (else
 * libvirt refuses a VM that still has snapshots) and NVRAM unless `nvram: false`. Disks stay unless
 * asked: `remove_all_storage` removes every disk (not CD-ROM media), `storage` the listed ones,
 * each checked first for other users.
 */
import { KubestackError, ValidationError } from '../../errors.js';
import { DomainUndefineFlags, DomainXMLFlags } from '../../libvirt/index.js';
import { defineOperation, type OperationOutcome } from '../types.js';
import { removeDeviceFiles } from './device-files.js';
import { domainState, findDomain, isActiveState } from './domains.js';
import { releaseVmNetwork } from './nics.js';
import { DeleteVM } from './params.gen.js';
import { domainDisks, libvirtOf } from './shared.js';
import { disksToRemove, refuseSharedDisks, removeDisks } from './vm-storage.js';

const deleted = (name: string): OperationOutcome => ({
  deleteObject: true,
  spec: { powerstate: 'Shutdown' },
  message: `VM '${name}' deleted`,
});

export const deleteVM = defineOperation({
  ...DeleteVM,
  async handler(ctx, params) {
    const lv = libvirtOf(ctx);
    const dom = await findDomain(lv, ctx.name);
    if (!dom) {
      // A replay after a crash past the undefine: what the VM had on the network still goes.
      await releaseVmNetwork(ctx.services.ovnNb, ctx.name);
      return { ...deleted(ctx.name), message: `VM '${ctx.name}' was already gone` };
    }
    if (isActiveState(await domainState(lv, dom))) {
      throw new ValidationError(
        `VM '${ctx.name}' is running: stop it first (stopVM or stopVMForce), then delete it`,
      );
    }
    const disks = domainDisks(await lv.domainGetXMLDesc(dom, DomainXMLFlags.INACTIVE));
    const doomed = disksToRemove(disks, params.remove_all_storage === true, params.storage);
    await refuseSharedDisks(lv, ctx.name, doomed);
    let flags = DomainUndefineFlags.MANAGED_SAVE | DomainUndefineFlags.CHECKPOINTS_METADATA;
    if (params.snapshots_metadata) flags |= DomainUndefineFlags.SNAPSHOTS_METADATA;
    flags |= params.nvram === false ? DomainUndefineFlags.KEEP_NVRAM : DomainUndefineFlags.NVRAM;
    await lv.domainUndefineFlags(dom, flags);
    await removeDeviceFiles(ctx.name);
    await releaseVmNetwork(ctx.services.ovnNb, ctx.name);
    const failed = await removeDisks(ctx.services.storage, doomed);
    if (failed.length > 0) {
      throw new KubestackError(
        'InUse',
        `VM '${ctx.name}' is undefined, but these disks were kept: ${failed.join('; ')}`,
      );
    }
    const what = doomed.length ? ` with disks ${doomed.map((d) => d.target).join(', ')}` : '';
    return { ...deleted(ctx.name), message: `VM '${ctx.name}' deleted${what}` };
  },
  /**
   * No domain any more = deleted: what the run did after the undefine (device files, the VM's
   * network rows) is done now, both idempotent.
   */
  async recover(ctx) {
    if (await findDomain(libvirtOf(ctx), ctx.name)) return undefined;
    await removeDeviceFiles(ctx.name);
    await releaseVmNetwork(ctx.services.ovnNb, ctx.name);
    return { outcome: deleted(ctx.name) };
  },
});
