/**
 * DeleteVM: power off (if running) and undefine, with its managed-save image, snapshot and
 * checkpoint metadata and (on request) NVRAM. Disks stay: they are VirtualMachineDisks with their
 * own lifecycle (deleteDisk), and remove_all_storage is refused rather than silently ignored.
 */
import { UnsupportedError } from '../../errors.js';
import { DomainUndefineFlags } from '../../libvirt/index.js';
import { defineOperation } from '../types.js';
import { removeDeviceFiles } from './device-files.js';
import { domainState, expectState, isActiveState, lookupDomain } from './domains.js';
import { releaseVmNetwork } from './nics.js';
import { DeleteVM } from './params.gen.js';
import { libvirtOf } from './shared.js';

export const deleteVM = defineOperation({
  ...DeleteVM,
  async handler(ctx, params) {
    if (params.remove_all_storage || params.storage) {
      throw new UnsupportedError(
        'deleteVM does not delete disks (remove_all_storage/storage): delete them with deleteDisk after the VM is gone',
      );
    }
    const lv = libvirtOf(ctx);
    const dom = await lookupDomain(lv, ctx.name);
    if (isActiveState(await domainState(lv, dom))) {
      await lv.domainDestroyFlags(dom, 0);
      await expectState(lv, dom, (s) => !isActiveState(s), 30_000, `destroying VM '${ctx.name}'`, ctx.signal);
    }
    let flags = DomainUndefineFlags.MANAGED_SAVE | DomainUndefineFlags.SNAPSHOTS_METADATA;
    flags |= DomainUndefineFlags.CHECKPOINTS_METADATA;
    flags |= params.nvram === false ? DomainUndefineFlags.KEEP_NVRAM : DomainUndefineFlags.NVRAM;
    await lv.domainUndefineFlags(dom, flags);
    await removeDeviceFiles(ctx.name);
    await releaseVmNetwork(ctx.services.ovnNb, ctx.name);
    return { deleteObject: true, spec: { powerstate: 'Shutdown' }, message: `VM '${ctx.name}' deleted` };
  },
});
