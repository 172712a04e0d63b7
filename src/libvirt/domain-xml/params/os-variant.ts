/**
 * The `os_variant` parameter: an osinfo short-id (`centos7.0`, `debian11`, `win10`, `generic`).
 * Looked up in the installed osinfo database, then in the built-in table; an id unknown to both is
 * a ValidationError that lists the accepted families.
 */
import { ValidationError } from '../../../errors.js';
import { BUILTIN_OS_TABLE, builtinProfile, DEFAULT_OSINFO_DIR, type OsProfile, osinfoDb } from '../osinfo.js';

const SHORT_ID = /^[a-z0-9][a-z0-9.+-]{0,63}$/;

export interface OsVariantOptions {
  /** Where the osinfo database lives (tests point this elsewhere to exercise the built-in table). */
  osinfoDir?: string;
}

export function parseOsVariant(text: string, field = 'os_variant', opts: OsVariantOptions = {}): OsProfile {
  const shortId = String(text).trim();
  if (!SHORT_ID.test(shortId)) {
    throw new ValidationError(`must be an OS short id like centos7.0 or debian11 (got '${text}')`, field);
  }
  const db = osinfoDb(opts.osinfoDir ?? DEFAULT_OSINFO_DIR);
  const found = db?.byShortId.get(shortId) ?? (shortId === 'generic' ? builtinProfile(shortId) : undefined);
  if (found) return found;
  const builtin = builtinProfile(shortId);
  if (builtin) return builtin;
  const families = [...new Set([...(db?.families ?? []), ...BUILTIN_OS_TABLE.map((r) => r.family)])].sort();
  throw new ValidationError(
    `unknown OS '${shortId}'${db ? ` (osinfo ${db.version ?? ''} has ${db.byShortId.size} ids)` : ''}; ` +
      `accepted families: ${families.join(', ')}`,
    field,
  );
}
