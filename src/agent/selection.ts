/**
 * Which objects this node owns.
 *
 * Precedence: the `host` label decides when present (equal to the node name → ours, anything else →
 * not ours, whatever spec.nodeName says). Only when the label is missing does `spec.nodeName` decide.
 * The first rule is a server-side label selector; the fallback is a second watch on `!host`
 * filtered here, so objects with a foreign host label never reach this node.
 */
import { hostname } from 'node:os';
import type { KubeObject } from '../kinds.js';

export const HOST_LABEL = 'host';

export function defaultNodeName(): string {
  return hostname().toLowerCase();
}

export const ownedSelector = (node: string): string => `${HOST_LABEL}=${node}`;
export const unlabelledSelector = `!${HOST_LABEL}`;

export function isOwnedBy(obj: KubeObject, node: string): boolean {
  const label = obj.metadata.labels?.[HOST_LABEL];
  if (label !== undefined) return label === node;
  return (obj.spec as { nodeName?: unknown } | undefined)?.nodeName === node;
}
