/**
 * `kubestack-agent exec -f op.yaml`: runs one operation here, without a cluster, and prints the
 * result as JSON. The file is either a resource as a client would write it (kind, metadata.name,
 * spec.lifecycle) or the short form {kind, name, lifecycle: {<operation>: {params}}}.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { asKubestackError, ValidationError } from '../errors.js';
import type { Services } from '../executors/services.js';
import type { OperationContext } from '../executors/types.js';
import type { KubeObject } from '../kinds.js';
import { KINDS, type KindName } from '../kinds.js';
import type { Logger } from '../log.js';
import { admit } from './admission.js';
import type { OperationCatalog } from './catalog.js';

export interface ExecResult {
  kind: string;
  name: string;
  operation: string;
  ok: boolean;
  outcome?: unknown;
  error?: { reason: string; message: string; details: Record<string, unknown> };
  seconds: number;
}

interface ShortForm {
  kind?: string;
  name?: string;
  namespace?: string;
  lifecycle?: unknown;
}

/** Reads the request file into an object of one of our kinds. */
export function parseExecFile(text: string): KubeObject {
  const doc = parse(text) as (KubeObject & ShortForm) | null;
  if (!doc || typeof doc !== 'object') throw new ValidationError('the file is not a YAML/JSON object');
  const kind = KINDS.find((k) => k.kind.toLowerCase() === String(doc.kind ?? '').toLowerCase())?.kind;
  if (!kind) throw new ValidationError(`kind must be one of ${KINDS.map((k) => k.kind).join(', ')}`, 'kind');
  const name = doc.metadata?.name ?? doc.name;
  if (!name) throw new ValidationError('a name is required (metadata.name or name)', 'name');
  const spec = doc.spec ?? (doc.lifecycle === undefined ? undefined : { lifecycle: doc.lifecycle });
  return {
    apiVersion: 'doslab.io/v1',
    kind,
    metadata: {
      ...(doc.metadata ?? {}),
      name,
      namespace: doc.metadata?.namespace ?? doc.namespace ?? 'default',
    },
    ...(spec ? { spec } : {}),
  };
}

export async function execOperation(
  obj: KubeObject,
  deps: { catalog: OperationCatalog; services: Services; nodeName: string; log: Logger },
): Promise<ExecResult> {
  const t0 = performance.now();
  const kind = obj.kind as KindName;
  const base = { kind, name: obj.metadata.name };
  const fail = (operation: string, err: unknown): ExecResult => {
    const e = asKubestackError(err);
    return {
      ...base,
      operation,
      ok: false,
      error: { reason: e.reason, message: e.message, details: e.details },
      seconds: (performance.now() - t0) / 1000,
    };
  };
  const a = admit(deps.catalog, obj);
  if (a.verdict === 'none') return fail('none', new ValidationError('spec.lifecycle names no operation'));
  if (a.verdict === 'reject') return fail(a.operation, a.error);
  const op = a.op;
  const ctx: OperationContext = {
    kind,
    name: obj.metadata.name,
    namespace: obj.metadata.namespace ?? 'default',
    nodeName: deps.nodeName,
    object: undefined,
    log: deps.log.child({ kind, name: obj.metadata.name, operation: op.name }),
    signal: new AbortController().signal,
    services: deps.services,
  };
  try {
    const outcome = await op.handler(ctx, a.params as never);
    return { ...base, operation: op.name, ok: true, outcome, seconds: (performance.now() - t0) / 1000 };
  } catch (err) {
    return fail(op.name, err);
  }
}

export function readExecFile(path: string): KubeObject {
  return parseExecFile(readFileSync(path === '-' ? 0 : path, 'utf8'));
}
