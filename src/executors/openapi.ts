/**
 * Renders the parameter schemas as the `spec.lifecycle` fragment of a CRD's OpenAPI v3 schema.
 *
 * The fragment documents every operation and parameter (`kubectl explain vm.spec.lifecycle.plugDisk`)
 * but deliberately enforces no value constraint: the agent validates, and a bad request must reach it
 * so the user gets a precise error in status and an event, as uni-virt clients expect, rather than a
 * 422 an old client cannot surface. So: strings are `type: string`; integers and sizes are
 * int-or-string (clients send "2048"); booleans take any value ("true" strings are common); every
 * operation object and `lifecycle` itself preserve unknown fields (alias spellings, undocumented SDK
 * extras, any key casing).
 */
import type { TSchema } from '@sinclair/typebox';
import type { KindName } from '../kinds.js';
import { DOCUMENTED } from './catalog.js';
import type { OperationDescriptor } from './descriptor.js';

type Sch = TSchema & Record<string, unknown>;
export type JsonSchemaProps = Record<string, unknown>;

/** One-line English+Chinese description of a parameter, with its documented constraint and example. */
export function describeParam(s: Sch): string {
  const parts = [String(s['description'] ?? '')];
  if (typeof s['x-ks-gloss'] === 'string' && s['x-ks-gloss'] !== '') parts.push(`${s['x-ks-gloss']}.`);
  if (typeof s['x-ks-constraint'] === 'string') parts.push(`Documented constraint: ${s['x-ks-constraint']}`);
  const example = Array.isArray(s['examples']) ? s['examples'][0] : undefined;
  if (example !== undefined) parts.push(`Example: ${JSON.stringify(example)}`);
  return parts.filter((p) => p !== '').join(' — ');
}

function paramProps(s: Sch): JsonSchemaProps {
  const description = describeParam(s);
  if (s.type === 'boolean') return { description, 'x-kubernetes-preserve-unknown-fields': true };
  if (s.type === 'integer') return { description, 'x-kubernetes-int-or-string': true };
  return { description, type: 'string' };
}

export function operationProps(op: OperationDescriptor): JsonSchemaProps {
  const properties: Record<string, JsonSchemaProps> = {};
  for (const [name, schema] of Object.entries(op.params.properties))
    properties[name] = paramProps(schema as Sch);
  const required = op.params.required ?? [];
  const desc = [op.summary];
  if (required.length > 0) desc.push(`Required: ${required.join(', ')}.`);
  if (op.dependsOn) desc.push(`Precondition: ${op.dependsOn}`);
  return {
    type: 'object',
    description: desc.join(' '),
    'x-kubernetes-preserve-unknown-fields': true,
    ...(Object.keys(properties).length > 0 ? { properties } : {}),
  };
}

/** `spec.lifecycle` for one kind: one optional property per documented operation. */
export function lifecycleProps(kind: KindName): JsonSchemaProps {
  const properties: Record<string, JsonSchemaProps> = {};
  for (const op of DOCUMENTED[kind]) properties[op.name] = operationProps(op);
  return {
    type: 'object',
    description:
      'The requested operation: one key, the operation name (matched case-insensitively), whose value holds its parameters. The agent removes it when it accepts the request, then reports the result in spec.status and status.',
    'x-kubernetes-preserve-unknown-fields': true,
    properties,
  };
}
