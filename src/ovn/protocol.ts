/**
 * RFC 7047 wire notation as TypeScript types (§5.1 values, §5.2 operations, §4.1.6/§4.1.14 updates).
 * Pure data: nothing here does I/O.
 */

export type Uuid = ['uuid', string];
export type NamedUuid = ['named-uuid', string];
export type Atom = string | number | boolean | Uuid | NamedUuid;
export type OvsdbSet = ['set', Atom[]];
export type OvsdbMap = ['map', [Atom, Atom][]];
/** A column value on the wire: an atom (also a one-element set), a set, or a map. */
export type Value = Atom | OvsdbSet | OvsdbMap;
export type Row = Record<string, Value>;

export type ConditionFunction = '<' | '<=' | '==' | '!=' | '>=' | '>' | 'includes' | 'excludes';
export type Condition = [column: string, fn: ConditionFunction, value: Value];
export type Mutator = '+=' | '-=' | '*=' | '/=' | '%=' | 'insert' | 'delete';
export type Mutation = [column: string, mutator: Mutator, value: Value];

export type Operation =
  | { op: 'insert'; table: string; row: Row; 'uuid-name'?: string; uuid?: string }
  | { op: 'select'; table: string; where: Condition[]; columns?: string[] }
  | { op: 'update'; table: string; where: Condition[]; row: Row }
  | { op: 'mutate'; table: string; where: Condition[]; mutations: Mutation[] }
  | { op: 'delete'; table: string; where: Condition[] }
  | {
      op: 'wait';
      table: string;
      where: Condition[];
      columns: string[];
      until: '==' | '!=';
      rows: Row[];
      timeout?: number;
    }
  | { op: 'commit'; durable: boolean }
  | { op: 'abort' }
  | { op: 'comment'; comment: string }
  | { op: 'assert'; lock: string };

/** One element of a transact reply (RFC 7047 §4.1.3). */
export interface OperationResult {
  uuid?: Uuid;
  rows?: Row[];
  count?: number;
  error?: string;
  details?: string;
}

/** `monitor_cond` request for one table (RFC 7047 §4.1.5 + ovsdb-server(7) §4.1.12). */
export interface MonitorRequest {
  columns?: string[];
  where?: Condition[];
  select?: { initial?: boolean; insert?: boolean; delete?: boolean; modify?: boolean };
}

/** `update2` row change: exactly one member set. `modify` carries a diff (see applyDiff). */
export interface RowUpdate2 {
  initial?: Row;
  insert?: Row;
  delete?: Row | null;
  modify?: Row;
}
export type TableUpdates2 = Record<string, Record<string, RowUpdate2>>;

/** Plain `monitor` update (RFC 7047 §4.1.6). */
export interface RowUpdate {
  old?: Row;
  new?: Row;
}
export type TableUpdates = Record<string, Record<string, RowUpdate>>;
