/**
 * The comma-separated option lists of the virt-install-style parameters
 * (`vnc,listen=0.0.0.0,password=x`, `2,cpuset=1-4,maxvcpus=4`). Splitting is shared; what each
 * key means is each parser's business. Errors name the parameter, the item position and the key.
 */
import { ValidationError } from '../../../errors.js';

export interface OptionItem {
  /** `undefined` for a positional item (`vnc`, `2`, a path). */
  readonly key: string | undefined;
  readonly value: string;
  /** 1-based position in the list, for error messages. */
  readonly position: number;
}

const KEY = /^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)?$/;

/** Splits `a,k=v,k2=v2` into items. Rejects empty items, malformed keys, empty values and repeated keys. */
export function splitOptions(field: string, text: string, what: string = field): OptionItem[] {
  if (text.trim() === '') throw new ValidationError(`${what} is empty`, field);
  const items: OptionItem[] = [];
  const seen = new Set<string>();
  // Whitespace is an error rather than silently trimmed: trimming would change a password, and the
  // old daemon's shell split arguments on it.
  const parts = text.split(',');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    const position = i + 1;
    if (part === '') throw new ValidationError(`${what}: item ${position} is empty`, field);
    if (/\s/.test(part)) throw new ValidationError(`${what}: item ${position} contains whitespace`, field);
    const eq = part.indexOf('=');
    if (eq === -1) {
      items.push({ key: undefined, value: part, position });
      continue;
    }
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (!KEY.test(key)) {
      throw new ValidationError(`${what}: item ${position} has a malformed key '${key}'`, field);
    }
    if (value === '') throw new ValidationError(`${what}: key '${key}' has an empty value`, field);
    if (seen.has(key)) throw new ValidationError(`${what}: key '${key}' is given twice`, field);
    seen.add(key);
    items.push({ key, value, position });
  }
  return items;
}

/** Throws for the first key not in `allowed`, listing the accepted ones. */
export function rejectUnknownKeys(
  field: string,
  items: readonly OptionItem[],
  allowed: readonly string[],
  what: string = field,
): void {
  for (const item of items) {
    if (item.key !== undefined && !allowed.includes(item.key)) {
      throw new ValidationError(
        `${what}: unknown key '${item.key}' (item ${item.position}); accepted keys: ${allowed.join(', ')}`,
        field,
      );
    }
  }
}

/** The value of `key`, if present. */
export function optionValue(items: readonly OptionItem[], key: string): string | undefined {
  return items.find((i) => i.key === key)?.value;
}

/** An integer within [min, max], written in plain decimal digits. */
export function parseIntInRange(
  field: string,
  label: string,
  text: string,
  min: number,
  max: number,
): number {
  if (!/^\d+$/.test(text)) {
    throw new ValidationError(
      `${label} must be a whole number between ${min} and ${max} (got '${text}')`,
      field,
    );
  }
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ValidationError(`${label} must be between ${min} and ${max} (got ${text})`, field);
  }
  return n;
}

/** One of a fixed set of words. */
export function parseEnum<T extends string>(
  field: string,
  label: string,
  text: string,
  allowed: readonly T[],
): T {
  if ((allowed as readonly string[]).includes(text)) return text as T;
  throw new ValidationError(`${label} must be one of ${allowed.join(', ')} (got '${text}')`, field);
}

/** `true`/`false` as a string or a JSON boolean. */
export function parseBooleanText(field: string, value: unknown): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new ValidationError(`must be true or false (got ${JSON.stringify(value)})`, field);
}

/** Rejects positional items beyond the ones a parser consumed. */
export function rejectExtraPositionals(
  field: string,
  items: readonly OptionItem[],
  allowedCount: number,
  what: string = field,
): void {
  const positionals = items.filter((i) => i.key === undefined);
  const extra = positionals[allowedCount];
  if (extra) {
    throw new ValidationError(
      `${what}: unexpected value '${extra.value}' at item ${extra.position} (expected key=value)`,
      field,
    );
  }
}
