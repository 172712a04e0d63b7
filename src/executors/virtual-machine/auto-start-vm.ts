/**
 * AutoStartVM: the VM's high availability as documented ("takes effect for a running VM after a
 * restart"): libvirt starts it when the host (libvirtd) starts, and the object carries the HA
 * label (ha.ts: both spellings read, the SDK's written). `disable: true` turns both off. A running
 * VM is not affected now.
 */
import type { OperationContext, OperationOutcome } from '../types.js';
import { defineOperation } from '../types.js';
import { lookupDomain } from './domains.js';
import { haLabels } from './ha.js';
import { AutoStartVM } from './params.gen.js';
import { recoverChange } from './recover-config.js';
import { libvirtOf, vmOutcome } from './shared.js';

const messageOf = (on: boolean): string =>
  on ? 'the VM starts with the host (HA on)' : 'the VM no longer starts with the host (HA off)';

/** The result with the object's HA label following the autostart flag. */
const withLabels = (ctx: OperationContext, on: boolean, outcome: OperationOutcome): OperationOutcome => ({
  ...outcome,
  labels: haLabels(ctx.object, on),
});

export const autoStartVM = defineOperation({
  ...AutoStartVM,
  async handler(ctx, p) {
    const lv = libvirtOf(ctx);
    const dom = await lookupDomain(lv, ctx.name);
    const on = p.disable !== true;
    await lv.domainSetAutostart(dom, on);
    return withLabels(ctx, on, await vmOutcome(ctx, dom, messageOf(on)));
  },
  /** The autostart flag is the asked one; the label is written with the result either way. */
  async recover(ctx, p) {
    const on = p.disable !== true;
    const found = await recoverChange(
      ctx,
      async (lv, dom) => [(await lv.domainGetAutostart(dom)) === on],
      messageOf(on),
    );
    return found && 'outcome' in found ? { outcome: withLabels(ctx, on, found.outcome) } : found;
  },
});
