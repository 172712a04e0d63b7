/**
 * StopVM: a graceful shutdown. libvirt passes the request to the guest (ACPI power button, or the
 * guest agent); only the guest can act on it. We wait a bounded time for the power-off, and a
 * guest that ignores the request (no OS, no ACPI handling) gets a clear Timeout naming the way out.
 */
import { TimeoutError } from '../../errors.js';
import { DOMAIN_STATE } from '../../libvirt/index.js';
import { defineOperation } from '../types.js';
import { domainState, isActiveState, lookupDomain, waitForState } from './domains.js';
import { StopVM } from './params.gen.js';
import { recoverWhenState } from './recover-state.js';
import { libvirtOf, vmOutcome } from './shared.js';

export const DEFAULT_STOP_TIMEOUT_MS = 60_000;

export const stopVM = defineOperation({
  ...StopVM,
  async handler(ctx) {
    const lv = libvirtOf(ctx);
    const dom = await lookupDomain(lv, ctx.name);
    if (isActiveState(await domainState(lv, dom))) {
      await lv.domainShutdownFlags(dom, 0);
      const timeoutMs = ctx.services.vmStopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
      const r = await waitForState(lv, dom, (s) => s === DOMAIN_STATE.SHUTOFF, timeoutMs, ctx.signal);
      if (!r.reached) {
        throw new TimeoutError(
          `VM '${ctx.name}' did not power off within ${Math.round(timeoutMs / 1000)} s of the shutdown request: ` +
            'the guest ignores ACPI (or has no OS to act on it); the VM is still running — use stopVMForce to power it off',
          { details: { timeoutMs } },
        );
      }
    }
    return vmOutcome(ctx, dom);
  },
  recover: recoverWhenState((s) => s === DOMAIN_STATE.SHUTOFF),
});
