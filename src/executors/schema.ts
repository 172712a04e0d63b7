/**
 * The one parameter-schema mechanism of the executors.
 *
 * Every operation's parameters are a TypeBox object built from the primitives below (the generated
 * `params.gen.ts` files call them). A primitive is plain JSON Schema plus a few `x-ks-*` keywords
 * that JSON Schema cannot express and that the CRD/doc renderers leave out or translate:
 *   x-ks-constraint  the documented constraint text (Chinese, verbatim from the API document)
 *   x-ks-gloss       an English reading of that constraint
 *   x-ks-check       the name of a check in ./checks.ts (confined paths, mini-languages, IP lists, …)
 *   x-ks-unit        sizes: the unit the value is expressed in after coercion (B, KiB, MiB)
 *   x-ks-coerce      `lowercase` (MACs) or `unquote` (ACL rules the SDK wraps in single quotes)
 *   x-ks-secret      never echo the value in an error message or a log
 *   x-ks-doc-example the example exactly as the API document prints it, when it is not a literal value
 * and on the operation's object schema:
 *   x-ks-op-checks   names of cross-parameter checks in ./op-checks.ts
 * `validateParams` (./validate.ts) applies aliases, coerces the string forms clients send, checks
 * the JSON Schema, then the named checks, then the operation's checks.
 */

import {
  type SchemaOptions,
  type TBoolean,
  type TInteger,
  type TLiteral,
  type TString,
  type TUnion,
  Type,
} from '@sinclair/typebox';
import { IPV4_OCTET, IPV4_PATTERN } from '../ipv4.js';
import { namePattern } from '../names.js';

/** What the generator knows about one documented parameter. */
export interface ParamDoc {
  /** The parameter's description in the API document (Chinese). */
  readonly description: string;
  /** The documented constraint text, verbatim. */
  readonly constraint?: string;
  /** English reading of the constraint. */
  readonly gloss?: string;
  /** A literal value that satisfies the schema (the document's example, corrected where it is prose). */
  readonly example?: unknown;
  /** The document's example verbatim, when `example` had to be corrected. */
  readonly docExample?: string;
  /** The value is a credential: never echo it. */
  readonly secret?: boolean;
}

function opts(doc: ParamDoc, extra: Record<string, unknown> = {}): SchemaOptions {
  const o: Record<string, unknown> = { description: doc.description, ...extra };
  if (doc.constraint !== undefined) o['x-ks-constraint'] = doc.constraint;
  if (doc.gloss !== undefined) o['x-ks-gloss'] = doc.gloss;
  if (doc.example !== undefined) o['examples'] = [doc.example];
  if (doc.docExample !== undefined) o['x-ks-doc-example'] = doc.docExample;
  if (doc.secret) o['x-ks-secret'] = true;
  return o;
}

/** A resource name: 4–100 characters of [a-z0-9.-] (VMs, pools, disks, switches, backups, …). */
export function name(doc: ParamDoc, range: { min?: number; max?: number } = {}): TString {
  const min = range.min ?? 4;
  const max = range.max ?? 100;
  return Type.String(opts(doc, { minLength: min, maxLength: max, pattern: namePattern(min, max) }));
}

/** A host path confined to ALLOWED_ROOTS; `..` is resolved before the check, the result is normalised. */
export function path(doc: ParamDoc): TString {
  return Type.String(
    opts(doc, {
      minLength: 1,
      maxLength: 1024,
      pattern: '^/[A-Za-z0-9._/-]*$',
      'x-ks-check': 'confinedPath',
    }),
  );
}

/** A string checked by a named check (mini-languages, lists); `pattern`/lengths optional. */
export function checked(
  doc: ParamDoc,
  check: string,
  extra: { pattern?: string; minLength?: number; maxLength?: number; coerce?: 'lowercase' | 'unquote' } = {},
): TString {
  const { coerce, ...rest } = extra;
  return Type.String(
    opts(doc, {
      maxLength: 4096,
      ...rest,
      'x-ks-check': check,
      ...(coerce ? { 'x-ks-coerce': coerce } : {}),
    }),
  );
}

/** A string with JSON-Schema-only constraints. */
export function text(
  doc: ParamDoc,
  extra: { pattern?: string; minLength?: number; maxLength?: number; coerce?: 'lowercase' | 'unquote' } = {},
): TString {
  const { coerce, ...rest } = extra;
  return Type.String(
    opts(doc, { minLength: 1, maxLength: 4096, ...rest, ...(coerce ? { 'x-ks-coerce': coerce } : {}) }),
  );
}

/** A boolean; clients also send the strings "true"/"false"/"True"/"False". */
export function bool(doc: ParamDoc): TBoolean {
  return Type.Boolean(opts(doc));
}

/** An integer in [min, max]; clients usually send it as a string of digits. */
export function int(doc: ParamDoc, min: number, max: number): TInteger {
  return Type.Integer(opts(doc, { minimum: min, maximum: max }));
}

export type SizeUnit = 'B' | 'KiB' | 'MiB';

/**
 * A size in `unit`, in [min, max]. Accepted forms: a number, digits (thousands separators allowed,
 * as the document writes `10,737,418,240`), or digits with a unit suffix (`10G`, `10GiB`, `512M`;
 * decimal-looking suffixes are binary, as sdsctl read them), converted to `unit`.
 */
export function size(doc: ParamDoc, unit: SizeUnit, min: number, max: number): TInteger {
  return Type.Integer(opts(doc, { minimum: min, maximum: max, 'x-ks-unit': unit }));
}

/** One of the listed strings. */
export function oneOf<const V extends readonly [string, ...string[]]>(
  doc: ParamDoc,
  values: V,
): TUnion<TLiteral<V[number]>[]> {
  return Type.Union(
    values.map((v) => Type.Literal(v)),
    opts(doc),
  ) as TUnion<TLiteral<V[number]>[]>;
}

/** A MAC address, lower case (upper case is lowered), never starting with `fe` (libvirt's tap prefix). */
export function mac(doc: ParamDoc): TString {
  return Type.String(
    opts(doc, { pattern: '^([0-9a-e][0-9a-f]|f[0-9a-df])(:[0-9a-f]{2}){5}$', 'x-ks-coerce': 'lowercase' }),
  );
}

/** A dotted-quad IPv4 address. */
export function ipv4(doc: ParamDoc): TString {
  return Type.String(opts(doc, { pattern: IPV4_PATTERN }));
}

/** An IPv4 address with an optional /prefix (1–32). */
export function ipv4Cidr(doc: ParamDoc, prefix: 'optional' | 'required'): TString {
  const p = '/([1-9]|[12][0-9]|3[0-2])';
  return Type.String(
    opts(doc, { pattern: `^${IPV4_OCTET}(\\.${IPV4_OCTET}){3}${prefix === 'optional' ? `(${p})?` : p}$` }),
  );
}

/** A host: an IPv4 address or a DNS name. */
export function host(doc: ParamDoc): TString {
  return Type.String(
    opts(doc, {
      maxLength: 253,
      pattern: `(${IPV4_PATTERN})|(^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$)`,
    }),
  );
}

/** A guest disk target: vdX, hdX, sdX (X one or two letters). */
export const TARGET_PATTERN = '^(vd|hd|sd)[a-z]{1,2}$';

/** Redaction of `x-ks-secret` (and nested) values lives in the shared src/redact.ts. */
export { redactParams } from '../redact.js';
export {
  collectParamErrors,
  describeConstraint,
  validateParams,
  validateParamsDetailed,
} from './validate.js';
