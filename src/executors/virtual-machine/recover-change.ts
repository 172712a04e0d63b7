/**
 * The recover hook of a VM configuration or device change: after a crash mid-run, the VM's
 * definitions tell whether libvirt made it. `has(xml)` says whether a definition shows the
 * request's result; checked in every definition the request names (live and/or config):
 *   in all  → finished (after `finish`, the run's own steps after libvirt, e.g. device files);
 *   in none → undone: the VM is as before, a resubmit works;
 *   in some → unknown (reported as interrupted).
 */
import { DomainXMLFlags } from '../../libvirt/index.js';
import type { OperationContext, RecoveryResult } from '../types.js';
import { type AffectParams, affectFlags, affectsConfig, affectsLive } from './affect.js';
import { domainState, findDomain, isActiveState } from './domains.js';
import { libvirtOf, vmOutcome } from './shared.js';

export interface ChangeCheck {
  /** The definitions the request names, given whether the VM runs (default: `affectFlags`). */
  flags?: (running: boolean) => number;
  has(xml: string): boolean;
  finish?(): Promise<void>;
  message?: string;
}

export async function recoverChange(
  ctx: OperationContext,
  p: AffectParams,
  check: ChangeCheck,
): Promise<RecoveryResult> {
  const lv = libvirtOf(ctx);
  const dom = await findDomain(lv, ctx.name);
  if (!dom) return undefined;
  const running = isActiveState(await domainState(lv, dom));
  const flags = check.flags ? check.flags(running) : affectFlags(p, running);
  const seen: boolean[] = [];
  if (affectsLive(flags)) seen.push(check.has(await lv.domainGetXMLDesc(dom, 0)));
  if (affectsConfig(flags)) seen.push(check.has(await lv.domainGetXMLDesc(dom, DomainXMLFlags.INACTIVE)));
  if (seen.length > 0 && seen.every(Boolean)) {
    await check.finish?.();
    return { outcome: await vmOutcome(ctx, dom, check.message) };
  }
  return seen.some(Boolean) ? undefined : { undone: true };
}
