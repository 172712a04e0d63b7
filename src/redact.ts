/**
 * The one redaction of request parameters, for every place a request can be echoed: logs, events,
 * the journal, error messages. Redacted are
 *   - every parameter whose schema carries `x-ks-secret` (the whole value: a mini-language string
 *     such as `graphics` may be malformed, so no part of it is trusted to be harmless);
 *   - nested secrets anywhere else: object keys named like a credential (password, passwd, token,
 *     secret, …) and `key=value` items with such a key inside any string (`…,password=abc`).
 * `redactText` scrubs the same values out of free text (an error message quoting the request).
 */

export const REDACTED = '***';

/** Names of keys that hold credentials, wherever they appear. */
const SECRET_KEY = /^(password|passwd|passphrase|pwd|secret|token|vncpassword|spicepassword)$/i;
/** `key=value` items with a secret key inside a string: the value runs to the next separator. */
const SECRET_ITEM = /(^|[\s,;&?])(password|passwd|passphrase|pwd|secret|token)=([^\s,;&]*)/gi;

/** What redaction needs of an operation: its parameter schema's properties. */
export interface RedactableOperation {
  readonly params: { readonly properties: Readonly<Record<string, unknown>> };
}

function isSecretProperty(op: RedactableOperation, key: string): boolean {
  const prop = op.params.properties[key];
  return (
    typeof prop === 'object' && prop !== null && (prop as Record<string, unknown>)['x-ks-secret'] === true
  );
}

/** A string with the values of embedded `password=…` items replaced. */
export function redactItems(text: string): string {
  return text.replace(SECRET_ITEM, (_m, sep: string, key: string) => `${sep}${key}=${REDACTED}`);
}

function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactItems(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEY.test(k) && v !== undefined && v !== null ? REDACTED : redactValue(v, depth + 1);
  }
  return out;
}

/** A copy of raw or validated parameters that is safe to log, journal or put into an event. */
export function redactParams(op: RedactableOperation, params: unknown): Record<string, unknown> {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) return {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) {
    out[k] = isSecretProperty(op, k) || SECRET_KEY.test(k) ? REDACTED : redactValue(v);
  }
  return out;
}

/** The literal secret values a request carries (to scrub from text), longest first. */
export function secretValues(op: RedactableOperation, params: unknown): string[] {
  const found = new Set<string>();
  const visit = (value: unknown, secret: boolean, depth: number): void => {
    if (typeof value === 'string') {
      if (secret && value !== '') found.add(value);
      for (const m of value.matchAll(SECRET_ITEM)) if (m[3]) found.add(m[3]);
      return;
    }
    if (typeof value === 'number' && secret) found.add(String(value));
    if (depth > 8 || value === null || typeof value !== 'object') return;
    for (const [k, v] of Object.entries(value)) visit(v, secret || SECRET_KEY.test(k), depth + 1);
  };
  if (params !== null && typeof params === 'object') {
    for (const [k, v] of Object.entries(params)) visit(v, isSecretProperty(op, k) || SECRET_KEY.test(k), 0);
  }
  return [...found].sort((a, b) => b.length - a.length);
}

/** `text` (an error message, a log line, an event note) with every secret of the request removed. */
export function redactText(op: RedactableOperation, params: unknown, text: string): string {
  let out = redactItems(text);
  for (const s of secretValues(op, params)) out = out.split(s).join(REDACTED);
  return out;
}
