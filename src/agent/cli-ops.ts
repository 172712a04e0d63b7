/**
 * The executor framework's two CLI subcommands, as plain functions the CLI registers:
 *   kubestack-agent ops                 → opsCommand(): every documented operation, whether this node
 *                                         implements it, its aliases and its parameter JSON Schema;
 *   kubestack-agent validate -f op.yaml → validateCommand(text): checks a request without running it.
 * The request file has the same forms as `exec -f` (a resource with spec.lifecycle, or the short form
 * {kind, name, lifecycle}).
 */
import { KubestackError } from '../errors.js';
import { createRegistry, type Registry } from '../executors/registry.js';
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

/** JSON text: {operations: [{kind, name, summary, title, implemented, dependsOn, aliases, params}]}. */
export function opsCommand(reg: Registry = registry()): string {
  const operations = reg.list().map((e) => ({
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
