/**
 * The `metadata` parameter: `uuid=<UUID>`. The doc's rule is 12–36 characters of digits, lowercase
 * letters, '-' and '.'; libvirt additionally needs a real UUID (32 hex digits, optional dashes),
 * so that is required too rather than failing later inside libvirt.
 */
import { ValidationError } from '../../../errors.js';
import { optionValue, rejectExtraPositionals, rejectUnknownKeys, splitOptions } from './options.js';

export interface MetadataParam {
  readonly uuid: string | undefined;
}

const DOC_RULE = /^[0-9a-z.-]{12,36}$/;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/;

export function parseMetadata(text: string, field = 'metadata'): MetadataParam {
  const items = splitOptions(field, String(text));
  rejectUnknownKeys(field, items, ['uuid']);
  rejectExtraPositionals(field, items, 0);
  const uuid = optionValue(items, 'uuid');
  if (uuid === undefined) return { uuid: undefined };
  if (!DOC_RULE.test(uuid)) {
    throw new ValidationError(
      `uuid must be 12-36 characters of digits, lowercase letters, '-' and '.' (got '${uuid}')`,
      field,
    );
  }
  if (!UUID.test(uuid)) {
    throw new ValidationError(
      `uuid must be a UUID like 950646e8-c17a-49d0-b83c-1c797811e001 (got '${uuid}')`,
      field,
    );
  }
  return { uuid };
}
