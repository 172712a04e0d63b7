/**
 * The HA label of a VirtualMachine object. uni-virt knows two spellings: the Java SDK writes
 * `kubestack.label.ha`, the old daemons read `ha` (any value means "HA on"); both are read, the
 * SDK's is the one written (its value "true"), and turning HA off removes both.
 */
import type { KubeObject } from '../../kinds.js';

export const HA_LABEL = 'kubestack.label.ha';
export const HA_LABELS = [HA_LABEL, 'ha'] as const;

/** The object carries an HA label, in either spelling. */
export function hasHaLabel(obj: KubeObject | undefined): boolean {
  const labels = obj?.metadata.labels ?? {};
  return HA_LABELS.some((l) => l in labels);
}

/**
 * The label changes that make the object say HA `on` (or off): on keeps a label already there
 * (either spelling), else writes the SDK's; off removes both spellings.
 */
export function haLabels(obj: KubeObject | undefined, on: boolean): Record<string, string | null> {
  if (!on) return Object.fromEntries(HA_LABELS.map((l) => [l, null]));
  return hasHaLabel(obj) ? {} : { [HA_LABEL]: 'true' };
}
