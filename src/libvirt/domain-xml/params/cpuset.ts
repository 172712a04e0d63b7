/**
 * libvirt cpuset lists (`1-4`, `0,2,5-7`, `^3`). Inside the comma-separated option lists a cpuset
 * can only hold one item unless the caller re-joins the positional continuations (vcpus does).
 */
import { ValidationError } from '../../../errors.js';

/** Highest host CPU number libvirt accepts in a cpuset. */
export const CPUSET_MAX_CPU = 4095;

const ITEM = /^(\^?)(\d+)(?:-(\d+))?$/;

/** Validates a cpuset and returns it unchanged (libvirt reads the same syntax). */
export function checkCpuset(field: string, label: string, text: string): string {
  const items = text.split(',');
  let included = 0;
  for (const item of items) {
    const m = ITEM.exec(item);
    if (!m) {
      throw new ValidationError(
        `${label} must be CPU numbers or ranges like 1-4 (bad item '${item}' in '${text}')`,
        field,
      );
    }
    const lo = Number(m[2]);
    const hi = m[3] === undefined ? lo : Number(m[3]);
    if (lo > CPUSET_MAX_CPU || hi > CPUSET_MAX_CPU) {
      throw new ValidationError(
        `${label}: CPU numbers must be at most ${CPUSET_MAX_CPU} (in '${text}')`,
        field,
      );
    }
    if (hi < lo) throw new ValidationError(`${label}: range '${item}' is reversed`, field);
    if (m[1] === '') included++;
    else if (m[3] !== undefined)
      throw new ValidationError(`${label}: an exclusion '${item}' cannot be a range`, field);
  }
  if (included === 0) throw new ValidationError(`${label} selects no CPU ('${text}')`, field);
  return text;
}
