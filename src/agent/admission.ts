/**
 * The one admission function: the agent (dispatch), `kubestack-agent exec` and `validate` all judge
 * a request with it, so they can never disagree. In order:
 *   the request  — spec.lifecycle must name exactly one operation, with an object of parameters;
 *   the name     — metadata.name is the name of the VM, disk, pool, … and must follow the name rule;
 *   the operation — documented for this kind (an unknown key: InvalidParameter, with the closest
 *                   documented name; another kind's operation: InvalidParameter naming that kind);
 *   the parameters — every problem at once, each naming its parameter;
 *   implemented   — a documented operation this node does not implement yet: Unsupported.
 * Nothing here touches the host or the apiserver.
 */
import { KubestackError, UnsupportedError, ValidationError } from '../errors.js';
import type { OperationSpec } from '../executors/types.js';
import type { KindName, KubeObject } from '../kinds.js';
import { describeNameRule, isResourceName } from '../names.js';
import type { OperationCatalog } from './catalog.js';
import { readLifecycle } from './lifecycle.js';
import { unsupportedMessage } from './reasons.js';

export type Admission =
  | { readonly verdict: 'none' }
  | {
      readonly verdict: 'admit';
      readonly op: OperationSpec;
      readonly params: unknown;
      /** Request keys that are not documented parameters (ignored). */
      readonly ignored: readonly string[];
    }
  | {
      readonly verdict: 'reject';
      /** The documented name when the operation is known, else the key as sent (never a metric label). */
      readonly operation: string;
      readonly known: boolean;
      /** Every problem; `error` sums them up for the status and the event. */
      readonly errors: readonly KubestackError[];
      readonly error: KubestackError;
    };

function reject(operation: string, known: boolean, errors: KubestackError[]): Admission {
  const [first] = errors as [KubestackError];
  const error =
    errors.length === 1
      ? first
      : new KubestackError(
          first.reason,
          `${errors.length} problems: ${errors.map((e) => fieldText(e)).join('; ')}`,
          {
            details: { errors: errors.map((e) => ({ reason: e.reason, message: e.message, ...e.details })) },
          },
        );
  return { verdict: 'reject', operation, known, errors, error };
}

function fieldText(e: KubestackError): string {
  const field = e.details['field'];
  return typeof field === 'string' && !e.message.startsWith(field) ? `${field}: ${e.message}` : e.message;
}

function unknownOperation(kind: KindName, key: string, suggestion?: string): ValidationError {
  const hint = suggestion ? ` (did you mean ${suggestion}?)` : '';
  return new ValidationError(`unknown operation ${key} for ${kind}${hint}`);
}

export function admit(catalog: OperationCatalog, obj: KubeObject): Admission {
  const kind = obj.kind as KindName;
  const req = readLifecycle(obj);
  if (req.kind === 'none') return { verdict: 'none' };
  if (req.kind === 'malformed') return reject(req.op, false, [new ValidationError(req.message)]);
  const errors: KubestackError[] = [];
  if (!isResourceName(obj.metadata.name, { leadingAlnum: true })) {
    errors.push(
      new ValidationError(
        `must be ${describeNameRule({ leadingAlnum: true })}; got "${obj.metadata.name}"`,
        'metadata.name',
      ),
    );
  }
  const r = catalog.resolve(kind, req.op);
  if (r.status === 'unknown')
    return reject(req.op, false, [...errors, unknownOperation(kind, req.op, r.suggestion)]);
  if (r.status === 'wrong-kind') {
    const message = `${r.name} is an operation of ${r.kinds.join(' and ')}, not of ${kind}`;
    return reject(r.name, true, [...errors, new ValidationError(message)]);
  }
  const checked = catalog.check(r.op, req.params);
  if (!checked.ok) return reject(r.op.name, true, [...errors, ...checked.errors]);
  if (errors.length > 0) return reject(r.op.name, true, errors);
  if (!r.implemented) {
    return reject(r.op.name, true, [
      new UnsupportedError(unsupportedMessage(r.op.name, kind), { details: { kind, operation: r.op.name } }),
    ]);
  }
  return { verdict: 'admit', op: r.op, params: checked.params, ignored: checked.ignored };
}
