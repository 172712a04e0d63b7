/**
 * Crash recovery of a VM configuration change (the operations' `recover` hooks): each change is a
 * "set to X" made by one or two libvirt calls, so after a crash the host shows it whole (report the
 * result), not at all (undone: the VM is as before, a resubmit works) or — between two calls —
 * half (unknown: reported as interrupted). A part the host cannot show (a balloon target without a
 * guest driver, a secret the journal does not keep) is unknown, never guessed.
 */
import { attrOf, deviceElements } from '../../libvirt/domain-xml/index.js';
import type { DomainRef } from '../../libvirt/index.js';
import type { OperationContext, RecoveryResult } from '../types.js';
import { findDomain, type Libvirt } from './domains.js';
import { libvirtOf, vmOutcome } from './shared.js';

/** One part of a change as the host shows it: in place, not, or not visible. */
export type PartState = boolean | 'unknown';

/**
 * Looks at the domain named like the object: every part in place → the result (with `message`),
 * none → undone, anything else → unknown. No domain any more → unknown.
 */
export async function recoverChange(
  ctx: OperationContext,
  parts: (lv: Libvirt, dom: DomainRef) => Promise<PartState[]>,
  message: string,
): Promise<RecoveryResult> {
  const lv = libvirtOf(ctx);
  const dom = await findDomain(lv, ctx.name);
  if (!dom) return undefined;
  return settleParts(ctx, dom, await parts(lv, dom), {
    message: `${message} (seen on the host after a restart)`,
  });
}

/**
 * The verdict on the parts of a change as the host shows them, for every VM change's recovery:
 * all in place → the result (after `finish`, the run's own steps after libvirt); none → undone;
 * anything else → unknown.
 */
export async function settleParts(
  ctx: OperationContext,
  dom: DomainRef,
  seen: readonly PartState[],
  o: { message?: string | undefined; finish?(): Promise<void> },
): Promise<RecoveryResult> {
  if (seen.length > 0 && seen.every((s) => s === true)) {
    await o.finish?.();
    return { outcome: await vmOutcome(ctx, dom, o.message) };
  }
  return seen.every((s) => s === false) ? { undone: true } : undefined;
}

/** A number element of a domain XML (`<memory>`, `<currentMemory>`) in KiB, as libvirt writes it. */
export function kibOf(xml: string, element: 'memory' | 'currentMemory'): number | undefined {
  const m = new RegExp(`<${element}\\b[^>]*unit='KiB'[^>]*>(\\d+)<`).exec(xml);
  return m ? Number(m[1]) : undefined;
}

/** The disks' targets in the per-device boot order of a definition. */
export function bootTargets(xml: string): string[] {
  const ordered: [number, string][] = [];
  for (const d of deviceElements(xml, 'disk')) {
    const boot = d.children.find((c) => c.name === 'boot');
    const target = d.children.find((c) => c.name === 'target');
    const order = boot && Number(attrOf(boot, 'order'));
    const dev = target && attrOf(target, 'dev');
    if (order && dev) ordered.push([order, dev]);
  }
  return ordered.sort((a, b) => a[0] - b[0]).map(([, dev]) => dev);
}

/** The (first) console of a definition: its type and whether it has a password. */
export function consoleOf(xml: string): { type: string | undefined; hasPassword: boolean } {
  const g = deviceElements(xml, 'graphics')[0];
  return { type: g && attrOf(g, 'type'), hasPassword: g !== undefined && attrOf(g, 'passwd') !== undefined };
}
