/**
 * The `head,key=value,key=value` shape shared by the virt-install-style mini-languages, and the
 * storage-side lists (`--file` paths, `--storage` items, disk migrations, snapshot disk specs).
 */
import { parse as parseYaml } from 'yaml';
import { ValidationError } from '../../errors.js';
import { assertResourceName } from '../../names.js';
import { confinePath } from '../../paths.js';

export interface KeyValues {
  /** The leading item without `=`, if any (`vnc` in `vnc,listen=0.0.0.0`). */
  head: string | undefined;
  pairs: Array<[string, string]>;
}

/** Splits `head,k=v,k=v`; every item after the head must be `key=value` with a non-empty key. */
export function splitKeyValues(value: string, field: string): KeyValues {
  const items = value.split(',');
  let head: string | undefined;
  const pairs: Array<[string, string]> = [];
  items.forEach((item, i) => {
    const eq = item.indexOf('=');
    if (eq < 0) {
      if (i === 0) head = item;
      else throw new ValidationError(`item ${i + 1} (${JSON.stringify(item)}) must be key=value`, field);
      return;
    }
    const key = item.slice(0, eq);
    if (!/^[a-z_][a-z0-9_.]*$/i.test(key)) {
      throw new ValidationError(`item ${i + 1} has an invalid key ${JSON.stringify(key)}`, field);
    }
    pairs.push([key, item.slice(eq + 1)]);
  });
  return { head, pairs };
}

/** Rejects keys outside `allowed` and duplicates. */
export function requireKnownKeys(kv: KeyValues, allowed: readonly string[], field: string): void {
  const seen = new Set<string>();
  for (const [k] of kv.pairs) {
    if (!allowed.includes(k)) {
      throw new ValidationError(`unknown key ${JSON.stringify(k)}; allowed: ${allowed.join(', ')}`, field);
    }
    if (seen.has(k)) throw new ValidationError(`key ${JSON.stringify(k)} is given twice`, field);
    seen.add(k);
  }
}

/** `p1 --file p2 --file p3` (CloneVM): each a confined path. */
export function checkPathList(value: string, field: string): string {
  const parts = value.split(/\s+--file\s+/).map((s) => s.trim());
  return parts.map((p) => confinePath(p, field)).join(' --file ');
}

/** `--storage` of DeleteVM: comma-separated disk targets or confined paths. */
export function checkStorageList(value: string, field: string): string {
  return value
    .split(',')
    .map((item) => {
      const s = item.trim();
      if (/^(vd|hd|sd)[a-z]{1,2}$/.test(s)) return s;
      if (s.startsWith('/')) return confinePath(s, field);
      throw new ValidationError(
        `${JSON.stringify(s)} is neither a disk target (vda, hdb, …) nor a path`,
        field,
      );
    })
    .join(',');
}

/** MigrateVMDisk: `disk=<path>,pool=<name>;…` (`vol=` is the spelling the document's prose uses). */
export function checkMigrateDisks(value: string, field: string): string {
  const entries = value.split(';').filter((s) => s.trim() !== '');
  if (entries.length === 0)
    throw new ValidationError('must list at least one disk=<path>,pool=<pool>', field);
  for (const entry of entries) {
    const kv = splitKeyValues(entry.trim(), field);
    if (kv.head !== undefined)
      throw new ValidationError(`${JSON.stringify(entry)} must be disk=…,pool=…`, field);
    const map = new Map(kv.pairs);
    const disk = map.get('disk') ?? map.get('vol');
    const pool = map.get('pool');
    if (!disk || !pool || map.size !== 2) {
      throw new ValidationError(`${JSON.stringify(entry)} must be exactly disk=<path>,pool=<pool>`, field);
    }
    confinePath(disk, field);
    assertResourceName(pool, field, 'pool');
  }
  return value;
}

const SNAPSHOT_KEYS = ['snapshot', 'file', 'driver', 'drvier', 'stype'] as const;

/**
 * CreateSnapshot `diskspec`: `vda,snapshot=external,file=<path>,driver=qcow2 --diskspec vdb,snapshot=no`.
 * The document spells `drvier`; both spellings are accepted.
 */
export function checkDiskspec(value: string, field: string): string {
  for (const spec of value.split(/\s+--diskspec\s+/)) {
    const kv = splitKeyValues(spec.trim(), field);
    if (!kv.head || !/^(vd|hd|sd)[a-z]{1,2}$/.test(kv.head)) {
      throw new ValidationError(
        `each disk spec must start with a disk target (vda, …), got ${JSON.stringify(spec)}`,
        field,
      );
    }
    requireKnownKeys(kv, SNAPSHOT_KEYS, field);
    for (const [k, v] of kv.pairs) {
      if (k === 'snapshot' && !['external', 'internal', 'no'].includes(v)) {
        throw new ValidationError(`snapshot=${v} must be external, internal or no`, field);
      }
      if (k === 'file') confinePath(v, field);
      if ((k === 'driver' || k === 'drvier') && v !== 'qcow2') {
        throw new ValidationError(`${k}=${v}: only qcow2 is supported`, field);
      }
    }
  }
  return value;
}

/** cloud-init user data: must parse as YAML. */
export function checkYaml(value: string, field: string): string {
  try {
    parseYaml(value);
  } catch (err) {
    throw new ValidationError(`is not valid YAML: ${(err as Error).message.split('\n')[0]}`, field);
  }
  return value;
}

/** A pool URL or path: printable, no whitespace or quotes (a directory, `host:/export`, `uus-…://…`). */
export function checkPoolUrl(value: string, field: string): string {
  if (!/^[A-Za-z0-9._~:/@%+=,-]{1,1024}$/.test(value)) {
    throw new ValidationError(
      'must be 1–1024 characters with no whitespace, quotes or shell characters',
      field,
    );
  }
  return value;
}
