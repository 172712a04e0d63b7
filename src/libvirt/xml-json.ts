/**
 * libvirt XML ⇄ the JSON clients read in `spec.domain` / `spec.domainsnapshot`.
 *
 * The shape is the old daemon's (badgerfish via xmljson, then text replacements, then forced lists):
 * - element → object; attribute `a` → key `_a`; leading text, when not blank → key `text`;
 *   an element with neither → `{}`; repeated siblings → a list; namespaced names → `{uri}local`;
 * - values coerced like xmljson: `true`/`false` (any case) → booleans, what Python's int() takes → a
 *   number (`"007"` → 7), else a finite float → a number, else the string;
 * - key renames: `interface` → `_interface`, `transient` → `_transient`, `nested-hv` → `nested_hv`,
 *   `suspend-to-mem`/`-disk` → `suspend_to_mem`/`_disk` (so `<interface>` → `_interface` and the
 *   attribute `interfaceid` → `__interfaceid`);
 * - the forced-list paths (FORCED_LIST_PATHS) always hold lists when present and truthy.
 * Deliberate differences from the old daemon (its known defects): renames apply to keys only, never
 * to values (a path containing "interface" stays intact); a list met midway on a forced path is
 * walked instead of crashing; integers beyond 2^53 stay strings instead of losing digits.
 * Keys are sorted, as the old daemon's `json.dumps(sort_keys=True)` did.
 */
import { KubestackError } from '../errors.js';
import { renderXml, type XmlElement } from './xml/render.js';
import { parseXmlTree, type XmlTreeElement } from './xml/tree.js';
import { NamespacePrefixes } from './xml/tree-render.js';

export type JsonValue = string | number | boolean | null | JsonObject | JsonValue[];
export interface JsonObject {
  [key: string]: JsonValue;
}

/** The old daemon's renames, applied in this order to every key. */
const RENAMES: ReadonlyArray<readonly [string, string]> = [
  ['interface', '_interface'],
  ['transient', '_transient'],
  ['nested-hv', 'nested_hv'],
  ['suspend-to-mem', 'suspend_to_mem'],
  ['suspend-to-disk', 'suspend_to_disk'],
];

/** Paths (under the root element) whose values are always lists: the old daemon's arraylist.cfg. */
export const FORCED_LIST_PATHS: readonly string[] = [
  'seclabel',
  'iothreadids.iothread',
  'blkiotune.device',
  'idmap.uid',
  'idmap.gid',
  'numatune.memnode',
  'keywrap.cipher',
  'memoryBacking.hugepages.page',
  'perf.event',
  'sysinfo.memory',
  'sysinfo.system.entry',
  'sysinfo.baseBoard',
  'sysinfo.bios.entry',
  'sysinfo.chassis.entry',
  'sysinfo.processor',
  'os.acpi.table',
  'os.boot',
  'os.initenv',
  'devices.memory',
  'devices.redirfilter',
  'devices.sound',
  'devices.channel',
  'devices.graphics',
  'devices.video',
  'devices._interface',
  'devices.hostdev',
  'devices.parallel',
  'devices.console',
  'devices.controller',
  'devices.shmem',
  'devices.redirdev',
  'devices.rng',
  'devices.smartcard',
  'devices.filesystem',
  'devices.panic',
  'devices.tpm',
  'devices.input',
  'devices.disk',
  'devices.hub',
  'devices.serial',
  'devices.lease',
  'cpu.feature',
  'cpu.numa.cell',
  'clock.timer',
  'vcpus.vcpu',
  'cputune.iothreadpin',
  'cputune.vcpusched',
  'cputune.iothreadsched',
  'cputune.vcpupin',
  'cputune.cachetune',
  'cputune.memorytune',
];

/** Extra forced lists of snapshot XML (`<domainsnapshot>`), on top of FORCED_LIST_PATHS. */
export const SNAPSHOT_FORCED_LIST_PATHS: readonly string[] = [...FORCED_LIST_PATHS, 'disks.disk'];

const NEEDS_RENAME = /interface|transient|nested-hv|suspend-to-/;
const renamed = new Map<string, string>();

export function renameKey(name: string): string {
  if (!NEEDS_RENAME.test(name)) return name;
  let out = renamed.get(name);
  if (out === undefined) {
    out = name;
    for (const [from, to] of RENAMES) out = out.split(from).join(to);
    if (renamed.size < 10_000) renamed.set(name, out);
  }
  return out;
}

export function unrenameKey(key: string): string {
  let out = key;
  for (const [from, to] of [...RENAMES].reverse()) out = out.split(to).join(from);
  return out;
}

const PY_INT = /^[+-]?\d+(?:_\d+)*$/;
const DIGITS = String.raw`\d+(?:_\d+)*`;
const PY_FLOAT = new RegExp(
  String.raw`^[+-]?(?:${DIGITS}(?:\.(?:${DIGITS})?)?|\.${DIGITS})(?:[eE][+-]?${DIGITS})?$`,
);

/** xmljson's value coercion (Python semantics: int() and float() ignore surrounding whitespace). */
export function coerceValue(value: string): string | number | boolean {
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  const trimmed = value.trim();
  if (PY_INT.test(trimmed)) {
    const n = Number(trimmed.replace(/_/g, ''));
    return Number.isSafeInteger(n) ? (Object.is(n, -0) ? 0 : n) : value;
  }
  if (PY_FLOAT.test(trimmed)) {
    const n = Number(trimmed.replace(/_/g, ''));
    if (Number.isFinite(n)) return Object.is(n, -0) ? 0 : n;
  }
  return value;
}

function sortKeys(obj: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(obj).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)))
    out[key] = obj[key] as JsonValue;
  return out;
}

function elementToJson(el: XmlTreeElement): JsonObject {
  const obj: JsonObject = {};
  for (const [name, value] of el.attrs) obj[renameKey(`_${name}`)] = coerceValue(value);
  if (el.text.trim() !== '') obj.text = coerceValue(el.text);
  const counts = new Map<string, number>();
  for (const child of el.children) counts.set(child.name, (counts.get(child.name) ?? 0) + 1);
  for (const child of el.children) {
    const key = renameKey(child.name);
    const value = elementToJson(child);
    if ((counts.get(child.name) ?? 0) > 1) {
      const list = obj[key];
      if (Array.isArray(list)) list.push(value);
      else obj[key] = [value];
    } else {
      obj[key] = value;
    }
  }
  return sortKeys(obj);
}

/** Python truthiness, which decided whether the old daemon wrapped a value. */
function truthy(v: JsonValue | undefined): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

function forceList(node: JsonValue | undefined, segments: readonly string[]): void {
  if (node === undefined || node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) forceList(item, segments);
    return;
  }
  const [head, ...rest] = segments as [string, ...string[]];
  if (rest.length === 0) {
    const v = node[head];
    if (truthy(v) && !Array.isArray(v)) node[head] = [v as JsonValue];
    return;
  }
  forceList(node[head], rest);
}

/** Generic conversion: the root element's JSON value (not wrapped in its name). */
export function xmlToJson(
  xml: string,
  opts: { root?: string; forcedLists?: readonly string[] } = {},
): JsonObject {
  const tree = parseXmlTree(xml);
  if (opts.root !== undefined && tree.name !== opts.root) {
    throw new KubestackError('Internal', `expected <${opts.root}> XML, got <${tree.name}>`);
  }
  const json = elementToJson(tree);
  for (const path of opts.forcedLists ?? []) forceList(json, path.split('.'));
  return json;
}

/** Domain XML (as libvirt's XMLDesc returns it) → the value of `spec.domain`. */
export function domainXmlToJson(xml: string): JsonObject {
  return xmlToJson(xml, { root: 'domain', forcedLists: FORCED_LIST_PATHS });
}

/** Snapshot XML (`<domainsnapshot>`) → the value of `spec.domainsnapshot`. */
export function snapshotXmlToJson(xml: string): JsonObject {
  return xmlToJson(xml, { root: 'domainsnapshot', forcedLists: SNAPSHOT_FORCED_LIST_PATHS });
}

function scalarText(v: string | number | boolean): string {
  return String(v);
}

function jsonToElement(name: string, value: JsonValue, ns: NamespacePrefixes): XmlElement[] {
  if (Array.isArray(value)) return value.flatMap((item) => jsonToElement(name, item, ns));
  const tag = ns.name(name);
  if (value === null) return [{ name: tag }];
  if (typeof value !== 'object') return [{ name: tag, text: scalarText(value) }];
  const attrs: Record<string, string> = {};
  const children: XmlElement[] = [];
  let text: string | undefined;
  for (const [key, v] of Object.entries(value)) {
    if (key === 'text') {
      if (v !== null && typeof v !== 'object') text = scalarText(v);
      continue;
    }
    const original = unrenameKey(key);
    if (original.startsWith('_')) {
      if (v !== null && typeof v !== 'object') attrs[ns.name(original.slice(1))] = scalarText(v);
      continue;
    }
    children.push(...jsonToElement(original, v, ns));
  }
  return [{ name: tag, attrs, children, ...(text === undefined ? {} : { text }) }];
}

/**
 * JSON in the shape above → XML with `root` as the root element (for round trips and for clients
 * that edit `spec.domain`). Lossy where the JSON is: number spellings, sibling order across names.
 */
export function jsonToXml(json: JsonObject, root = 'domain'): string {
  const ns = new NamespacePrefixes();
  const [element] = jsonToElement(root, json, ns) as [XmlElement];
  return renderXml({ ...element, attrs: { ...element.attrs, ...ns.declarations() } });
}
