/**
 * Pure builders of RFC 7047 operations. Every OVN change in the agent is a list of these, printed,
 * asserted on in unit tests and concatenated into one atomic `transact`.
 */
import type { Condition, Mutation, Operation, Row, Value } from './protocol.js';
import { uuid } from './values.js';

export const byUuid = (id: string | Value): Condition[] => [
  ['_uuid', '==', typeof id === 'string' ? uuid(id) : id],
];
export const byName = (name: string): Condition[] => [['name', '==', name]];

export function insert(table: string, row: Row, uuidName?: string): Operation {
  return uuidName === undefined
    ? { op: 'insert', table, row }
    : { op: 'insert', table, row, 'uuid-name': uuidName };
}

export function select(table: string, where: Condition[], columns?: string[]): Operation {
  return columns === undefined ? { op: 'select', table, where } : { op: 'select', table, where, columns };
}

export function update(table: string, where: Condition[], row: Row): Operation {
  return { op: 'update', table, where, row };
}

export function mutate(table: string, where: Condition[], mutations: Mutation[]): Operation {
  return { op: 'mutate', table, where, mutations };
}

export function del(table: string, where: Condition[]): Operation {
  return { op: 'delete', table, where };
}

export function comment(text: string): Operation {
  return { op: 'comment', comment: text };
}

/** An assertion (timeout 0): the rows matching `where`, projected on `columns`, equal `rows`. */
export function waitEq(table: string, where: Condition[], columns: string[], rows: Row[]): Operation {
  return { op: 'wait', table, where, columns, until: '==', rows, timeout: 0 };
}

/** Guard: no row of `table` is named `name`. */
export function waitAbsent(table: string, name: string): Operation {
  return waitEq(table, byName(name), ['name'], []);
}

/**
 * Guard: exactly one row is named `name` and it is `rowUuid`. Compares `_uuid`, not `name`:
 * ovsdb-server compares de-duplicated projections, so `rows:[{name}]` passes with two same-named rows.
 */
export function waitIs(table: string, name: string, rowUuid: string): Operation {
  return waitEq(table, byName(name), ['_uuid'], [{ _uuid: uuid(rowUuid) }]);
}

/** Guard: the row `rowUuid` still exists and `column` still has the value we read. */
export function waitColumn(table: string, rowUuid: string, column: string, value: Value): Operation {
  return waitEq(table, byUuid(rowUuid), [column], [{ [column]: value }]);
}

/** Guard: rows matching `where` are exactly `uuids` (in any order). */
export function waitUuids(table: string, where: Condition[], uuids: readonly string[]): Operation {
  return waitEq(
    table,
    where,
    ['_uuid'],
    uuids.map((u) => ({ _uuid: uuid(u) })),
  );
}
