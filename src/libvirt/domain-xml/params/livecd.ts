/** The `livecd` parameter: `true`/`false` (string or JSON boolean). A live CD boots from the CD every time. */
import { parseBooleanText } from './options.js';

export function parseLivecd(value: unknown, field = 'livecd'): boolean {
  return parseBooleanText(field, value);
}
