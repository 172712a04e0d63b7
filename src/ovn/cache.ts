/**
 * The in-memory replica a monitor feeds: table → uuid → row (wire values). Rows are replaced, never
 * mutated in place, so a reader holding a row sees a consistent snapshot of it.
 */
import type { Row, TableUpdates, TableUpdates2 } from './protocol.js';
import type { DatabaseSchema } from './schema.js';
import { applyDiff } from './values.js';

export type CacheListener = (tables: ReadonlySet<string>) => void;

export class RowCache {
  private readonly tables = new Map<string, Map<string, Row>>();
  private readonly listeners = new Set<CacheListener>();

  constructor(private readonly schema: () => DatabaseSchema | undefined) {}

  table(name: string): ReadonlyMap<string, Row> {
    return this.tables.get(name) ?? new Map();
  }

  get(table: string, id: string): Row | undefined {
    return this.tables.get(table)?.get(id);
  }

  rows(table: string): Row[] {
    return [...this.table(table).values()];
  }

  find(table: string, pred: (row: Row, id: string) => boolean): Array<{ uuid: string; row: Row }> {
    const out: Array<{ uuid: string; row: Row }> = [];
    for (const [id, row] of this.table(table)) if (pred(row, id)) out.push({ uuid: id, row });
    return out;
  }

  onChange(fn: CacheListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Drops the tables a (re)issued monitor is about to refill. */
  reset(tables: Iterable<string>): void {
    for (const t of tables) this.tables.set(t, new Map());
  }

  applyUpdates2(updates: TableUpdates2): void {
    const touched = new Set<string>();
    for (const [tname, rows] of Object.entries(updates)) {
      const t = this.ensure(tname);
      const shapes = this.schema()?.tables[tname]?.columns ?? {};
      touched.add(tname);
      for (const [id, u] of Object.entries(rows)) {
        const full = u.initial ?? u.insert;
        if (full) {
          t.set(id, { ...full, _uuid: ['uuid', id] });
        } else if (u.modify) {
          const old = t.get(id) ?? { _uuid: ['uuid', id] };
          const next: Row = { ...old };
          for (const [col, diff] of Object.entries(u.modify)) {
            next[col] = applyDiff(shapes[col] ?? 'scalar', old[col], diff);
          }
          t.set(id, next);
        } else if ('delete' in u) {
          t.delete(id);
        }
      }
    }
    this.emit(touched);
  }

  applyUpdates(updates: TableUpdates): void {
    const touched = new Set<string>();
    for (const [tname, rows] of Object.entries(updates)) {
      const t = this.ensure(tname);
      touched.add(tname);
      for (const [id, u] of Object.entries(rows)) {
        if (u.new) t.set(id, { ...(t.get(id) ?? {}), ...u.new, _uuid: ['uuid', id] });
        else t.delete(id);
      }
    }
    this.emit(touched);
  }

  private ensure(name: string): Map<string, Row> {
    let t = this.tables.get(name);
    if (!t) {
      t = new Map();
      this.tables.set(name, t);
    }
    return t;
  }

  private emit(touched: ReadonlySet<string>): void {
    if (touched.size === 0) return;
    for (const fn of this.listeners) fn(touched);
  }
}
