/**
 * Conversions between OVSDB wire values and plain TypeScript values. The server sends a one-element
 * set as a bare atom, so every set read goes through `setOf`; maps through `mapOf`.
 */
import type { Atom, NamedUuid, OvsdbMap, OvsdbSet, Row, Uuid, Value } from './protocol.js';

export const uuid = (id: string): Uuid => ['uuid', id];
export const namedUuid = (name: string): NamedUuid => ['named-uuid', name];

export function isUuid(v: unknown): v is Uuid {
  return Array.isArray(v) && v.length === 2 && v[0] === 'uuid' && typeof v[1] === 'string';
}

function isTagged(v: unknown, tag: string): v is [string, unknown] {
  return Array.isArray(v) && v.length === 2 && v[0] === tag && Array.isArray(v[1]);
}

export function isSet(v: unknown): v is OvsdbSet {
  return isTagged(v, 'set');
}

export function isMap(v: unknown): v is OvsdbMap {
  return isTagged(v, 'map');
}

/** A set column as an array (bare atom = one element, `["set",[]]` = none). */
export function setOf(v: Value | undefined): Atom[] {
  if (v === undefined) return [];
  if (isSet(v)) return v[1];
  if (isMap(v)) return [];
  return [v];
}

/** Strings of a set column (uuids as their id). */
export function stringsOf(v: Value | undefined): string[] {
  return setOf(v).map((a) => atomString(a));
}

/** UUIDs of a reference set column. */
export function uuidsOf(v: Value | undefined): string[] {
  return setOf(v)
    .filter(isUuid)
    .map((u) => u[1]);
}

/** An optional column (a set of 0..1) as its atom or undefined. */
export function optional(v: Value | undefined): Atom | undefined {
  const s = setOf(v);
  return s[0];
}

export function atomString(a: Atom): string {
  if (Array.isArray(a)) return a[1];
  return String(a);
}

// Column readers for row decoders: a scalar or optional column of row `r`.
export const columnString = (r: Row, c: string): string => {
  const v = optional(r[c]);
  return v === undefined ? '' : atomString(v);
};
export const columnOptString = (r: Row, c: string): string | undefined => {
  const v = optional(r[c]);
  return v === undefined ? undefined : atomString(v);
};
export const columnOptNumber = (r: Row, c: string): number | undefined => {
  const v = optional(r[c]);
  return typeof v === 'number' ? v : undefined;
};
export const columnOptBool = (r: Row, c: string): boolean | undefined => {
  const v = optional(r[c]);
  return typeof v === 'boolean' ? v : undefined;
};

/** A map column as a Record of strings. */
export function mapOf(v: Value | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (v === undefined || !isMap(v)) return out;
  for (const [k, val] of v[1]) out[atomString(k)] = atomString(val);
  return out;
}

/** A map column with integer values (QoS.bandwidth) as a Record of numbers. */
export function numberMapOf(v: Value | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  if (v === undefined || !isMap(v)) return out;
  for (const [k, val] of v[1]) if (typeof val === 'number') out[atomString(k)] = val;
  return out;
}

export function toSet(items: readonly Atom[]): OvsdbSet {
  return ['set', [...items]];
}

export function toMap(rec: Readonly<Record<string, string | number>>): OvsdbMap {
  return ['map', Object.entries(rec).map(([k, v]) => [k, v] as [Atom, Atom])];
}

export const emptySet: OvsdbSet = ['set', []];

function atomKey(a: Atom): string {
  return JSON.stringify(a);
}

/** How a column is shaped, from its schema type: decides how an update2 diff applies. */
export type ColumnShape = 'scalar' | 'set' | 'map';

/**
 * Applies an `update2` `modify` diff to a column value (ovsdb-server(7) §4.1.14): scalars carry
 * the new value, sets (max > 1) the symmetric difference, maps the
 * changed/added/removed pairs. The shape comes from the schema: a bare atom is ambiguous.
 * Optional (0..1) columns are `scalar` here: the server sends their new value.
 */
export function applyDiff(shape: ColumnShape, old: Value | undefined, diff: Value): Value {
  if (shape === 'map') {
    const entries = new Map<string, [Atom, Atom]>();
    if (old !== undefined && isMap(old)) for (const kv of old[1]) entries.set(atomKey(kv[0]), kv);
    if (isMap(diff)) {
      for (const [k, v] of diff[1]) {
        const key = atomKey(k);
        const cur = entries.get(key);
        if (cur !== undefined && atomKey(cur[1]) === atomKey(v)) entries.delete(key);
        else entries.set(key, [k, v]);
      }
    }
    return ['map', [...entries.values()]];
  }
  if (shape === 'set') {
    const present = new Map<string, Atom>();
    for (const a of setOf(old)) present.set(atomKey(a), a);
    for (const a of setOf(diff)) {
      const key = atomKey(a);
      if (present.has(key)) present.delete(key);
      else present.set(key, a);
    }
    return ['set', [...present.values()]];
  }
  return diff;
}
