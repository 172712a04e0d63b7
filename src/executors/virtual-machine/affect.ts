/**
 * Which definitions of a VM a configuration change applies to, from the documented flags
 * (live/config/persistent/current, as on the libvirt command line). None given = both for a running
 * VM, the definition only for a shut-off one. A live change asked of a shut-off VM is refused: a
 * request for live is never turned silently into a config-only change.
 */
import { ValidationError } from '../../errors.js';
import { DomainAffect } from '../../libvirt/index.js';

export interface AffectParams {
  live?: boolean | undefined;
  config?: boolean | undefined;
  persistent?: boolean | undefined;
  current?: boolean | undefined;
  hotpluggable?: boolean | undefined;
}

export function affectFlags(p: AffectParams, running: boolean): number {
  let flags = 0;
  if (p.live || p.hotpluggable) flags |= DomainAffect.LIVE;
  if (p.config || p.persistent) flags |= DomainAffect.CONFIG;
  if (flags === 0 && p.current) flags = running ? DomainAffect.LIVE : DomainAffect.CONFIG;
  if (flags === 0) flags = running ? DomainAffect.LIVE | DomainAffect.CONFIG : DomainAffect.CONFIG;
  if (!running && flags & DomainAffect.LIVE) {
    throw new ValidationError('the VM is not running: a live change is impossible (use config)', 'live');
  }
  return flags;
}

export const affectsLive = (flags: number): boolean => (flags & DomainAffect.LIVE) !== 0;
export const affectsConfig = (flags: number): boolean => (flags & DomainAffect.CONFIG) !== 0;

/** Which definitions a change went to, for the outcome message. */
export function affectedText(flags: number): string {
  if (affectsLive(flags) && affectsConfig(flags)) return 'live and in the definition';
  return affectsLive(flags)
    ? 'live only (the definition is unchanged)'
    : 'in the definition (from the next start)';
}
