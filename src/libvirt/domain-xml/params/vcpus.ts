/**
 * The `vcpus` parameter: `N[,cpuset=…][,maxvcpus=…][,sockets=…][,cores=…][,threads=…]`.
 * Documented rule: maxvcpus = sockets × cores × threads (maxvcpus defaults to N). Missing topology
 * parts are filled in (threads=1, then the other from the product), as virt-install does.
 * A cpuset list may continue over commas: `2,cpuset=1-2,5,maxvcpus=4` pins to CPUs 1, 2 and 5.
 */
import { ValidationError } from '../../../errors.js';
import { checkCpuset } from './cpuset.js';
import { type OptionItem, parseIntInRange, rejectUnknownKeys, splitOptions } from './options.js';

/** libvirt's limit for the pc and q35 machine types without an IOMMU. */
export const MAX_VCPUS = 255;

export interface VcpuTopology {
  readonly sockets: number;
  readonly cores: number;
  readonly threads: number;
}

export interface VcpusParam {
  readonly count: number;
  readonly max: number;
  readonly cpuset: string | undefined;
  readonly topology: VcpuTopology | undefined;
}

const CPUSET_ITEM = /^\^?\d+(?:-\d+)?$/;

/** Joins positional cpuset continuations onto the preceding `cpuset=` item. */
function joinCpusetContinuations(items: OptionItem[]): OptionItem[] {
  const out: OptionItem[] = [];
  for (const item of items) {
    const prev = out[out.length - 1];
    if (item.key === undefined && prev?.key === 'cpuset' && CPUSET_ITEM.test(item.value)) {
      out[out.length - 1] = { ...prev, value: `${prev.value},${item.value}` };
      continue;
    }
    out.push(item);
  }
  return out;
}

export function parseVcpus(text: string, field = 'vcpus'): VcpusParam {
  const items = joinCpusetContinuations(splitOptions(field, String(text)));
  rejectUnknownKeys(field, items, ['cpuset', 'maxvcpus', 'sockets', 'cores', 'threads', 'vcpus']);
  const positionals = items.filter((i) => i.key === undefined);
  const extra = positionals[1];
  if (extra) throw new ValidationError(`unexpected value '${extra.value}' at item ${extra.position}`, field);
  const byKey = new Map(items.filter((i) => i.key).map((i) => [i.key as string, i.value]));
  const countText = positionals[0]?.value ?? byKey.get('vcpus');
  if (countText === undefined) throw new ValidationError('the number of vCPUs is required (e.g. 2)', field);
  if (positionals[0] && byKey.has('vcpus')) throw new ValidationError('the vCPU count is given twice', field);
  if (positionals[0] && positionals[0].position !== 1) {
    throw new ValidationError(
      `the vCPU count must come first (found '${positionals[0].value}' at item ${positionals[0].position})`,
      field,
    );
  }
  const count = parseIntInRange(field, 'vCPU count', countText, 1, MAX_VCPUS);
  const maxText = byKey.get('maxvcpus');
  const max = maxText === undefined ? count : parseIntInRange(field, 'maxvcpus', maxText, 1, MAX_VCPUS);
  if (max < count)
    throw new ValidationError(`maxvcpus (${max}) must be at least the vCPU count (${count})`, field);
  const cpusetText = byKey.get('cpuset');
  const cpuset = cpusetText === undefined ? undefined : checkCpuset(field, 'cpuset', cpusetText);
  const part = (k: 'sockets' | 'cores' | 'threads') => {
    const v = byKey.get(k);
    return v === undefined ? undefined : parseIntInRange(field, k, v, 1, MAX_VCPUS);
  };
  const s = part('sockets');
  const c = part('cores');
  const t = part('threads');
  let topology: VcpuTopology | undefined;
  if (s !== undefined || c !== undefined || t !== undefined) {
    const threads = t ?? 1;
    let sockets = s;
    let cores = c;
    if (sockets === undefined && cores === undefined) {
      sockets = max / threads;
      cores = 1;
    } else if (sockets === undefined) {
      sockets = max / ((cores as number) * threads);
    } else if (cores === undefined) {
      cores = max / (sockets * threads);
    }
    if (
      !Number.isInteger(sockets) ||
      !Number.isInteger(cores) ||
      (sockets as number) < 1 ||
      (cores as number) < 1
    ) {
      throw new ValidationError(
        `topology cannot be completed: maxvcpus ${max} is not divisible by the given sockets/cores/threads`,
        field,
      );
    }
    topology = { sockets: sockets as number, cores: cores as number, threads };
    const product = topology.sockets * topology.cores * topology.threads;
    if (product !== max) {
      throw new ValidationError(
        `maxvcpus (${max}) must equal sockets × cores × threads (${topology.sockets} × ${topology.cores} × ${topology.threads} = ${product})`,
        field,
      );
    }
  }
  return { count, max, cpuset, topology };
}
