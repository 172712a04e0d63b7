/**
 * The executor framework's two CLI subcommands, as plain functions the CLI registers:
 *   kubestack-agent ops [--kind K] [--implemented] [--json]
 *                                       → opsCommand(): every documented operation, whether this node
 *                                         implements it, its aliases and its parameter JSON Schema
 *                                         (a table on a terminal, JSON otherwise or with --json);
 *   kubestack-agent validate -f op.yaml → validateCommand(text): checks a request without running it.
 * The request file has the same forms as `exec -f` (a resource with spec.lifecycle, or the short form
 * {kind, name, lifecycle}).
 */
import { KubestackError, ValidationError } from '../errors.js';
import { createRegistry, type Registry, type RegistryEntry } from '../executors/registry.js';
import type { KindName } from '../kinds.js';
import { admit } from './admission.js';
import type { OperationCatalog } from './catalog.js';
import { parseExecFile } from './exec-command.js';
import { registryCatalog } from './registry-catalog.js';

let shared: Registry | undefined;
const registry = (): Registry => {
  shared ??= createRegistry();
  return shared;
};
let sharedCat: OperationCatalog | undefined;
const sharedCatalog = (): OperationCatalog => {
  sharedCat ??= registryCatalog();
  return sharedCat;
};

export interface OpsOptions {
  /** Only this kind's operations (the kind name, any case). */
  kind?: string;
  /** Only the operations this node implements. */
  implemented?: boolean;
  /** `json` (default): machine-readable; `table`: one line per operation, for a terminal. */
  format?: 'json' | 'table';
}

function selectEntries(reg: Registry, o: OpsOptions): RegistryEntry[] {
  let entries = reg.list();
  if (o.kind !== undefined) {
    const want = o.kind.toLowerCase();
    const kinds = [...new Set(entries.map((e) => e.kind))];
    const kind = kinds.find((k) => k.toLowerCase() === want);
    if (!kind)
      throw new ValidationError(
        `unknown kind ${JSON.stringify(o.kind)} (one of ${kinds.join(', ')})`,
        '--kind',
      );
    entries = entries.filter((e) => e.kind === kind);
  }
  return o.implemented ? entries.filter((e) => e.implemented) : entries;
}

/** Left-aligned columns, the last one cut to fit a line of `width` characters. */
function renderTable(rows: string[][], width = 120): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) => {
      const line = r.map((cell, i) => (i < r.length - 1 ? cell.padEnd(widths[i] ?? 0) : cell)).join('  ');
      return line.length > width ? `${line.slice(0, width - 1)}…` : line;
    })
    .join('\n');
}

/**
 * The documented operations: JSON text {operations: [{kind, name, summary, title, implemented,
 * dependsOn, aliases, params}]}, or a table (kind, operation, implemented, summary) and a count.
 */
export function opsCommand(reg: Registry = registry(), o: OpsOptions = {}): string {
  const entries = selectEntries(reg, o);
  if (o.format === 'table') {
    const rows = [['KIND', 'OPERATION', 'IMPLEMENTED', 'SUMMARY']];
    for (const e of entries) rows.push([e.kind, e.name, e.implemented ? 'yes' : 'no', e.descriptor.summary]);
    const done = entries.filter((e) => e.implemented).length;
    return `${renderTable(rows)}\n\n${entries.length} operations, ${done} implemented`;
  }
  const operations = entries.map((e) => ({
    kind: e.kind,
    name: e.name,
    summary: e.descriptor.summary,
    title: e.descriptor.title,
    implemented: e.implemented,
    dependsOn: e.descriptor.dependsOn,
    aliases: e.descriptor.aliases,
    params: e.spec.params,
  }));
  return JSON.stringify({ operations }, null, 2);
}

export interface ValidateError {
  /** The parameter, as the request spelled it; absent for request-level problems. */
  field?: string;
  reason: string;
  message: string;
}

export interface ValidateResult {
  ok: boolean;
  errors: ValidateError[];
  kind?: KindName;
  name?: string;
  operation?: string;
  /** The parameters as the operation would receive them (coerced, aliases applied), when ok. */
  params?: Record<string, unknown>;
  /** Request keys that are not documented parameters (they would be ignored). */
  ignored?: string[];
}

function toError(err: unknown): ValidateError {
  if (err instanceof KubestackError) {
    const field = typeof err.details['field'] === 'string' ? err.details['field'] : undefined;
    return { ...(field ? { field } : {}), reason: err.reason, message: err.message };
  }
  return { reason: 'Internal', message: String(err) };
}

/** Judges a request file exactly as the agent would (the one admission function); never throws. */
export function validateCommand(
  fileText: string,
  catalog: OperationCatalog = sharedCatalog(),
): ValidateResult {
  let obj: ReturnType<typeof parseExecFile>;
  try {
    obj = parseExecFile(fileText);
  } catch (err) {
    return { ok: false, errors: [toError(err)] };
  }
  const base = { kind: obj.kind as KindName, name: obj.metadata.name };
  const a = admit(catalog, obj);
  if (a.verdict === 'none') {
    return {
      ...base,
      ok: false,
      errors: [{ reason: 'InvalidParameter', message: 'spec.lifecycle names no operation' }],
    };
  }
  if (a.verdict === 'reject')
    return { ...base, operation: a.operation, ok: false, errors: a.errors.map(toError) };
  return {
    ...base,
    operation: a.op.name,
    ok: true,
    errors: [],
    params: a.params as Record<string, unknown>,
    ignored: [...a.ignored],
  };
}
