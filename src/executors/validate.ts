/**
 * validateParams: the one gate every request passes before an operation runs.
 *   1. the lifecycle value must be an object (null counts as `{}`);
 *   2. aliases: other spellings clients send → the documented name (`!name` = boolean inverse, for
 *      `auto-start` vs `disable`); `a-b` also matches a documented `a_b`;
 *   3. coercion of the string forms clients send: "true"/"True" → boolean, "2048" → 2048, "10G" →
 *      bytes/KiB/MiB, MACs lower-cased, ACL rules unquoted; "" and null mean "not given";
 *   4. required parameters, then each value against its JSON Schema, then its named check;
 *   5. the operation's cross-parameter checks (./op-checks.ts).
 * Unknown parameters are ignored (the SDK sends undocumented extras such as `allocation`); they are
 * reported in `ignored` for logging. Errors are ValidationError naming the parameter and the constraint.
 */
import { type Static, type TObject, type TSchema, Type } from '@sinclair/typebox';
import { type TypeCheck, TypeCompiler } from '@sinclair/typebox/compiler';
import { ValidationError } from '../errors.js';
import { parseSize } from '../sizes.js';
import { getCheck } from './checks.js';
import { getOpCheck } from './op-checks.js';

/** Anything with a params schema and optional aliases (an OperationSpec or a generated descriptor). */
export interface ParamsCarrier<S extends TObject = TObject> {
  readonly name: string;
  readonly params: S;
  readonly aliases?: Readonly<Record<string, string>>;
}

export interface ValidationResult<S extends TObject> {
  params: Static<S>;
  /** Keys the request carried that are not documented parameters (dropped). */
  ignored: string[];
}

type Sch = TSchema & Record<string, unknown>;
const BOOLEAN = Type.Boolean() as Sch;

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();
function checker(schema: TSchema): TypeCheck<TSchema> {
  let c = compiled.get(schema);
  if (!c) {
    c = TypeCompiler.Compile(schema);
    compiled.set(schema, c);
  }
  return c;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The constraint of a property in words, for error messages. */
export function describeConstraint(s: Sch): string {
  const parts: string[] = [];
  if (s.type === 'boolean') parts.push('must be true or false');
  else if (s.type === 'integer') {
    const unit = typeof s['x-ks-unit'] === 'string' ? ` ${s['x-ks-unit']}` : '';
    parts.push(`must be an integer from ${s['minimum']} to ${s['maximum']}${unit}`);
    if (unit) parts.push('(a number, or digits with a unit suffix such as 10G)');
  } else if (s['const'] !== undefined) {
    parts.push(`must be ${String(s['const'])}`);
  } else if (Array.isArray(s['anyOf'])) {
    const values = (s['anyOf'] as Sch[]).map((l) => String(l['const']));
    parts.push(`must be one of: ${values.join(', ')}`);
  } else if (s.type === 'string') {
    if (typeof s['pattern'] === 'string') parts.push(`must match ${s['pattern']}`);
    else parts.push('must be a string');
    if (typeof s['minLength'] === 'number' || typeof s['maxLength'] === 'number') {
      parts.push(`of length ${s['minLength'] ?? 0}–${s['maxLength'] ?? '∞'}`);
    }
  }
  const zh = s['x-ks-constraint'];
  if (typeof zh === 'string' && zh !== '') parts.push(`(documented: ${zh})`);
  return parts.join(' ');
}

function shown(s: Sch, value: unknown): string {
  if (s['x-ks-secret'] === true) return '';
  const text = JSON.stringify(value) ?? String(value);
  return `; got ${text.length > 80 ? `${text.slice(0, 77)}...` : text}`;
}

/** Turns the string forms clients send into the schema's type; leaves anything else alone. */
function coerce(s: Sch, value: unknown): unknown {
  if (s.type === 'boolean' && typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
    return value;
  }
  if (s.type === 'integer') {
    if (typeof value !== 'string') return value;
    if (typeof s['x-ks-unit'] === 'string') return parseSize(value, s['x-ks-unit']) ?? value;
    return /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
  }
  if (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (s.type === 'string' || Array.isArray(s['anyOf']))
  ) {
    return String(value);
  }
  if (typeof value === 'string') {
    if (s['x-ks-coerce'] === 'lowercase') return value.toLowerCase();
    if (s['x-ks-coerce'] === 'unquote') return value.replace(/^'(.*)'$/s, '$1');
  }
  return value;
}

/** Maps request keys to documented names; throws when two spellings of one parameter disagree. */
function canonicalise(
  op: ParamsCarrier,
  raw: Record<string, unknown>,
): { out: Record<string, unknown>; ignored: string[] } {
  const props = op.params.properties as Record<string, Sch>;
  const aliases = op.aliases ?? {};
  const out: Record<string, unknown> = {};
  const from: Record<string, string> = {};
  const ignored: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    let target = key in props ? key : aliases[key];
    if (target === undefined && key.includes('-') && key.replace(/-/g, '_') in props)
      target = key.replace(/-/g, '_');
    if (target === undefined) {
      ignored.push(key);
      continue;
    }
    let v = value;
    if (target.startsWith('!')) {
      target = target.slice(1);
      const b = coerce(BOOLEAN, v);
      if (typeof b !== 'boolean') throw new ValidationError(`must be true or false${shown(BOOLEAN, v)}`, key);
      v = !b;
    }
    if (v === null || v === undefined || v === '') continue; // not given
    const earlier = from[target];
    if (earlier !== undefined && JSON.stringify(out[target]) !== JSON.stringify(v)) {
      throw new ValidationError(`conflicts with ${earlier}, another spelling of ${target}`, key);
    }
    out[target] = v;
    from[target] = key;
  }
  return { out, ignored };
}

const fold = (k: string) => k.toLowerCase().replace(/[-_]/g, '');

/** `; the request has 'Pool' — parameter names are case-sensitive` when an ignored key looks like `key`. */
function hint(key: string, ignored: readonly string[]): string {
  const near = ignored.find((k) => fold(k) === fold(key));
  return near === undefined
    ? ''
    : `; the request has ${JSON.stringify(near)} (parameter names are case-sensitive)`;
}

function validateOne(
  key: string,
  schema: Sch,
  out: Record<string, unknown>,
  required: Set<string>,
  ignored: readonly string[],
): unknown {
  if (!(key in out)) {
    if (required.has(key)) {
      throw new ValidationError(`is required: ${describeConstraint(schema)}${hint(key, ignored)}`, key);
    }
    return undefined;
  }
  const value = coerce(schema, out[key]);
  if (!checker(schema).Check(value)) {
    throw new ValidationError(`${describeConstraint(schema)}${shown(schema, out[key])}`, key);
  }
  const check = schema['x-ks-check'];
  return typeof check === 'string' ? getCheck(check)(value as string, key) : value;
}

function prepare(op: ParamsCarrier, raw: unknown): { out: Record<string, unknown>; ignored: string[] } {
  if (raw !== null && raw !== undefined && !isPlainObject(raw)) {
    throw new ValidationError(
      `the parameters of ${op.name} must be an object, got ${Array.isArray(raw) ? 'an array' : typeof raw}`,
    );
  }
  return canonicalise(op, raw ?? {});
}

/** Validates and types a request; see the module comment. Throws the first error. */
export function validateParamsDetailed<S extends TObject>(
  op: ParamsCarrier<S>,
  raw: unknown,
): ValidationResult<S> {
  const { out, ignored } = prepare(op, raw);
  const props = op.params.properties as Record<string, Sch>;
  const required = new Set(op.params.required ?? []);
  const result: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(props)) {
    const v = validateOne(key, schema, out, required, ignored);
    if (v !== undefined) result[key] = v;
  }
  runOpChecks(op, result);
  return { params: result as Static<S>, ignored };
}

/** The operation's cross-parameter checks (`x-ks-op-checks`), on parameters that passed one by one. */
function runOpChecks(op: ParamsCarrier, params: Record<string, unknown>): void {
  const names = (op.params as Sch)['x-ks-op-checks'];
  if (!Array.isArray(names)) return;
  for (const name of names) getOpCheck(String(name))(params);
}

/** Every problem of a request, one ValidationError per parameter (for `kubestack-agent validate`). */
export function collectParamErrors(op: ParamsCarrier, raw: unknown): ValidationError[] {
  let prepared: { out: Record<string, unknown>; ignored: string[] };
  try {
    prepared = prepare(op, raw);
  } catch (err) {
    return [err as ValidationError];
  }
  const props = op.params.properties as Record<string, Sch>;
  const required = new Set(op.params.required ?? []);
  const errors: ValidationError[] = [];
  const result: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(props)) {
    try {
      const v = validateOne(key, schema, prepared.out, required, prepared.ignored);
      if (v !== undefined) result[key] = v;
    } catch (err) {
      if (err instanceof ValidationError) errors.push(err);
      else throw err;
    }
  }
  if (errors.length === 0) {
    try {
      runOpChecks(op, result);
    } catch (err) {
      if (err instanceof ValidationError) errors.push(err);
      else throw err;
    }
  }
  return errors;
}

/** Validates and types a request, or throws ValidationError naming the parameter and its constraint. */
export function validateParams<S extends TObject>(op: ParamsCarrier<S>, raw: unknown): Static<S> {
  return validateParamsDetailed(op, raw).params;
}

/** Every problem of a request at once, or the typed parameters: the one check admission uses. */
export function checkParams(
  op: ParamsCarrier,
  raw: unknown,
): { ok: true; params: unknown; ignored: string[] } | { ok: false; errors: ValidationError[] } {
  const errors = collectParamErrors(op, raw);
  if (errors.length > 0) return { ok: false, errors };
  const { params, ignored } = validateParamsDetailed(op, raw);
  return { ok: true, params, ignored };
}
