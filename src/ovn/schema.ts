/**
 * The parts of a database schema (RFC 7047 §3.2) the client needs at run time: each column's shape,
 * so update2 diffs apply correctly, and which tables exist. Read with `get_schema` on connect.
 */
import type { ColumnShape } from './values.js';

export interface DatabaseSchema {
  name: string;
  version: string;
  tables: Record<string, { columns: Record<string, ColumnShape>; isRoot: boolean }>;
}

interface RawType {
  key?: unknown;
  value?: unknown;
  max?: unknown;
}

function shapeOf(type: unknown): ColumnShape {
  if (typeof type === 'string') return 'scalar';
  const t = (type ?? {}) as RawType;
  if (t.value !== undefined) return 'map';
  // An optional column (max 1) is updated like a scalar: update2 carries its new value, or
  // ["set",[]] when cleared (seen on ovsdb-server 3.1); only max > 1 sets carry a difference.
  const max = t.max === undefined ? 1 : t.max;
  return max === 1 ? 'scalar' : 'set';
}

export function parseSchema(raw: unknown): DatabaseSchema {
  const r = raw as {
    name?: string;
    version?: string;
    tables?: Record<string, { columns?: Record<string, { type?: unknown }>; isRoot?: boolean }>;
  };
  const tables: DatabaseSchema['tables'] = {};
  for (const [tname, t] of Object.entries(r.tables ?? {})) {
    const columns: Record<string, ColumnShape> = { _uuid: 'scalar', _version: 'scalar' };
    for (const [cname, c] of Object.entries(t.columns ?? {})) columns[cname] = shapeOf(c.type);
    tables[tname] = { columns, isRoot: t.isRoot === true };
  }
  return { name: r.name ?? '', version: r.version ?? '', tables };
}
