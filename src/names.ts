/**
 * The resource-name rule of the API (general constraint (1)): lowercase letters, digits, '-' and
 * '.', 4–100 characters. VMs, pools, disks, switches, snapshots and the objects' metadata.name all
 * follow it; layers that need a narrower rule (file names, OVN identifiers) build on it here.
 */
import { ValidationError } from './errors.js';

export const NAME_MIN_LENGTH = 4;
export const NAME_MAX_LENGTH = 100;

/** The rule as JSON-Schema / RegExp source, for lengths other than the default when a field needs it. */
export function namePattern(min = NAME_MIN_LENGTH, max = NAME_MAX_LENGTH): string {
  return `^[a-z0-9.-]{${min},${max}}$`;
}

/** `^[a-z0-9.-]{4,100}$` */
export const NAME_PATTERN = namePattern();
const NAME_RE = new RegExp(NAME_PATTERN);

export interface NameRule {
  readonly min?: number;
  readonly max?: number;
  /** Also require a letter or digit first, so the name is safe as a file name (not hidden, not `..`). */
  readonly leadingAlnum?: boolean;
}

/** True when `value` is a resource name (4–100 of [a-z0-9.-], or the lengths of `rule`). */
export function isResourceName(value: unknown, rule: NameRule = {}): value is string {
  if (typeof value !== 'string') return false;
  const re =
    rule.min === undefined && rule.max === undefined ? NAME_RE : new RegExp(namePattern(rule.min, rule.max));
  return re.test(value) && (!rule.leadingAlnum || /^[a-z0-9]/.test(value));
}

/** The rule in words, for error messages. */
export function describeNameRule(rule: NameRule = {}): string {
  const min = rule.min ?? NAME_MIN_LENGTH;
  const max = rule.max ?? NAME_MAX_LENGTH;
  return `${min}-${max} characters of lowercase letters, digits, '-' and '.'${
    rule.leadingAlnum ? ', starting with a letter or digit' : ''
  }`;
}

/**
 * Returns `value` if it is a resource name, else throws a ValidationError naming `field`:
 * "'<value>' is not a valid name: <label> must be 4-100 characters of …".
 */
export function assertResourceName(
  value: unknown,
  field: string,
  label = field,
  rule: NameRule = {},
): string {
  if (!isResourceName(value, rule)) {
    throw new ValidationError(
      `'${String(value)}' is not a valid name: ${label} must be ${describeNameRule(rule)}`,
      field,
    );
  }
  return value;
}
