/**
 * The recover hook of a VM configuration or device change: after a crash mid-run, the VM's
 * definitions tell whether libvirt made it. `has(xml)` says whether a definition shows the
 * request's result; checked in every definition the request names (live and/or config):
 *   in all  → finished (after `finish`, the run's own steps after libvirt, e.g. device files);
 *   in none → undone: the VM is as before, a resubmit works;
 *   in some → completed in the others when the change is known whole (`complete`: a media
 *             change, no secret in it), then finished; otherwise unknown (reported as interrupted).
 */
import { DomainAffect, type DomainRef, DomainXMLFlags } from '../../libvirt/index.js';
import type { OperationContext, RecoveryResult } from '../types.js';
import { type AffectParams, affectFlags, affectsConfig, affectsLive } from './affect.js';
import { domainState, findDomain, isActiveState, type Libvirt } from './domains.js';
import { settleParts } from './recover-config.js';
import { libvirtOf } from './shared.js';

export interface ChangeCheck {
  /** The definitions the request names, given whether the VM runs (default: `affectFlags`). */
  flags?: (running: boolean) => number;
  has(xml: string): boolean;
  finish?(): Promise<void>;
  /** Makes the change in the definitions `flags` names (those a crash left without it). */
  complete?(lv: Libvirt, dom: DomainRef, flags: number): Promise<unknown>;
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
  const seen: Array<[number, boolean]> = [];
  if (affectsLive(flags)) seen.push([DomainAffect.LIVE, check.has(await lv.domainGetXMLDesc(dom, 0))]);
  if (affectsConfig(flags)) {
    seen.push([DomainAffect.CONFIG, check.has(await lv.domainGetXMLDesc(dom, DomainXMLFlags.INACTIVE))]);
  }
  const checked = seen.reduce((m, [which]) => m | which, 0);
  const missing = seen.reduce((m, [which, has]) => (has ? m : m | which), 0);
  if (check.complete && missing !== 0 && missing !== checked) {
    await check.complete(lv, dom, missing);
    return settleParts(ctx, dom, [true], check);
  }
  return settleParts(
    ctx,
    dom,
    seen.map(([, has]) => has),
    check,
  );
}
