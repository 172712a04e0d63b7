/**
 * What the KubeStack Java SDK can read under `spec`, and whether a value we write fits it.
 *
 * The SDK GETs an object through its model classes before every update; an unknown nested field
 * makes it throw. The reference lists every readable path per kind: `a.b` a leaf of an SDK type,
 * `a[]` list items, `a.*: any` = that level ignores unknown keys (its known keys stay strict).
 * Here that list becomes a tree of SdkNode; `sdkViolations` names every path of a value that does
 * not fit, and `fitToSdk` drops them (for open-ended reports such as a domain's XML as JSON).
 */

import type { KindName } from './kinds.js';
import { SDK_MODEL } from './sdk-model.gen.js';

/** One level of the tree. */
export interface SdkNode {
  /** Leaf type as the SDK declares it (String, Integer, Long, Boolean, Object, map, any, or a class). */
  t?: string;
  /** Known keys of an object level. */
  c?: Record<string, SdkNode>;
  /** The item of a list level. */
  i?: SdkNode;
  /** 1: this object level ignores unknown keys. */
  open?: 1;
}

function child(node: SdkNode, key: string): SdkNode {
  node.c ??= {};
  node.c[key] ??= {};
  return node.c[key] as SdkNode;
}

const RECURSIVE = /^\(recursive \w+\)$/;

/** A `(recursive X)` leaf is the level that holds it again (BackingStore in BackingStore). */
function linkRecursive(node: SdkNode, seen = new Set<SdkNode>()): void {
  if (seen.has(node)) return;
  seen.add(node);
  for (const [k, c] of Object.entries(node.c ?? {})) {
    if (c.t && RECURSIVE.test(c.t)) (node.c as Record<string, SdkNode>)[k] = node;
    else linkRecursive(c, seen);
  }
  if (node.i) linkRecursive(node.i, seen);
}

const linked = new Map<string, SdkNode>();

/** The `spec` tree of a kind (an empty, open one for a kind the reference does not list). */
export function sdkModelOf(kind: KindName): SdkNode {
  let tree = linked.get(kind);
  if (!tree) {
    tree = SDK_MODEL[kind] ?? { open: 1 };
    linkRecursive(tree);
    linked.set(kind, tree);
  }
  return tree;
}

/** Builds the tree from [path, type] pairs (paths start with `spec.`). */
export function buildSdkTree(paths: readonly (readonly [string, string])[]): SdkNode {
  const root: SdkNode = {};
  for (const [path, type] of paths) {
    let node = root;
    const parts = path.split('.');
    for (const [n, raw] of parts.entries()) {
      const last = n === parts.length - 1;
      if (raw === '*') {
        node.open = 1;
        break;
      }
      const list = raw.endsWith('[]');
      node = child(node, list ? raw.slice(0, -2) : raw);
      if (list) {
        node.i ??= {};
        node = node.i;
      }
      if (last) node.t = type;
    }
  }
  return root;
}

const SCALAR_TYPES = new Set(['String', 'Integer', 'Long', 'Boolean', 'boolean']);
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why a scalar does not fit a leaf type (Jackson's default coercions), or undefined. */
function scalarMisfit(type: string, v: unknown): string | undefined {
  if (v === null) return undefined;
  if (typeof v === 'object') return `an object or list where the SDK has ${type}`;
  if (type === 'String') return undefined;
  const text = String(v).trim();
  if (type === 'Integer' || type === 'Long')
    return /^-?\d+$/.test(text) ? undefined : `not an integer: ${text}`;
  return /^(true|false)$/i.test(text) ? undefined : `not a boolean: ${text}`;
}

function visit(node: SdkNode, value: unknown, path: string, out: string[]): void {
  if (value === null || value === undefined) return;
  if (node.t !== undefined && !node.c && !node.i) {
    visitLeaf(node.t, value, path, out);
    return;
  }
  if (node.i) {
    // uni-virt's XML → JSON renders a one-element list as the element itself; the SDK reads both.
    const items = Array.isArray(value) ? value : [value];
    for (const [n, item] of items.entries()) visit(node.i, item, `${path}[${n}]`, out);
    return;
  }
  if (!isObject(value)) {
    out.push(`${path}: a ${Array.isArray(value) ? 'list' : typeof value} where the SDK has an object`);
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    const c = node.c?.[k];
    if (c) visit(c, v, `${path}.${k}`, out);
    else if (!node.open) out.push(`${path}.${k}: unknown to the SDK model`);
  }
}

function visitLeaf(type: string, value: unknown, path: string, out: string[]): void {
  if (type === 'any' || type === 'Object' || type === 'map') return;
  if (SCALAR_TYPES.has(type)) {
    const why = scalarMisfit(type, value);
    if (why) out.push(`${path}: ${why}`);
    return;
  }
  // A model class whose fields the reference does not list: only an empty object is safe.
  if (!isObject(value)) out.push(`${path}: a ${typeof value} where the SDK has a ${type} object`);
  else for (const k of Object.keys(value)) out.push(`${path}.${k}: unknown to the SDK's ${type}`);
}

/** Every path of `spec` (members as written) that the SDK model of `tree` cannot read. */
export function sdkViolations(tree: SdkNode, spec: Record<string, unknown>): string[] {
  const out: string[] = [];
  visit(tree, spec, 'spec', out);
  return out;
}

function fitNode(node: SdkNode, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (node.t !== undefined && !node.c && !node.i) return fitLeaf(node.t, value);
  if (node.i) {
    if (!Array.isArray(value)) return fitNode(node.i, value);
    return value.map((x) => fitNode(node.i as SdkNode, x)).filter((x) => x !== undefined);
  }
  if (!isObject(value)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const c = node.c?.[k];
    if (!c) {
      if (node.open) out[k] = v;
      continue;
    }
    const f = fitNode(c, v);
    if (f !== undefined) out[k] = f;
  }
  return out;
}

function fitLeaf(type: string, value: unknown): unknown {
  if (type === 'any' || type === 'Object' || type === 'map') return value;
  if (SCALAR_TYPES.has(type)) return scalarMisfit(type, value) ? undefined : value;
  return isObject(value) ? {} : undefined;
}

/** `value` as the member `member` of spec, without what the SDK could not read. */
export function fitToSdk(tree: SdkNode, member: string, value: unknown): unknown {
  const node = tree.c?.[member];
  if (!node) return tree.open ? value : undefined;
  return fitNode(node, value);
}
