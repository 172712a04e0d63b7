/** The `cdrom` parameter: the installation ISO, a path under the allowed roots. */
import { ALLOWED_ROOTS, confinePath } from '../../../paths.js';

export interface CdromParam {
  readonly path: string;
}

export function parseCdrom(
  text: string,
  field = 'cdrom',
  roots: readonly string[] = ALLOWED_ROOTS,
): CdromParam {
  return { path: confinePath(String(text).trim(), field, roots) };
}
