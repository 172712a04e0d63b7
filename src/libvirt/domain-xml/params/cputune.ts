/**
 * The `cputune` parameter, virt-install `--cputune` syntax:
 *   `vcpupin0.vcpu=0,vcpupin0.cpuset=1-2,vcpupin1.vcpu=1,vcpupin1.cpuset=3,emulatorpin.cpuset=0,shares=2048,period=100000,quota=50000`
 * A vcpupin without its own cpuset (the doc's example `vcpupin0.vcpu=0`) takes the `vcpus` cpuset
 * when the domain is built; `domainSpecFromParams` rejects it if there is none.
 */
import { ValidationError } from '../../../errors.js';
import { checkCpuset } from './cpuset.js';
import { parseIntInRange, splitOptions } from './options.js';
import { MAX_VCPUS } from './vcpus.js';

export interface VcpuPin {
  readonly vcpu: number;
  readonly cpuset: string | undefined;
}

export interface CputuneParam {
  readonly vcpupins: readonly VcpuPin[];
  readonly emulatorpin: string | undefined;
  readonly shares: number | undefined;
  /** µs, 1000–1000000 */
  readonly period: number | undefined;
  /** µs, -1 (no limit) or 1000–17592186044415 */
  readonly quota: number | undefined;
}

const SCALARS = ['shares', 'period', 'quota'];
const ACCEPTED = 'vcpupin<N>.vcpu, vcpupin<N>.cpuset, emulatorpin.cpuset, shares, period, quota';

export function parseCputune(text: string, field = 'cputune'): CputuneParam {
  const items = splitOptions(field, String(text));
  const pins = new Map<number, { vcpu?: number; cpuset?: string }>();
  let emulatorpin: string | undefined;
  const scalars: Record<string, number> = {};
  for (const item of items) {
    if (item.key === undefined) {
      throw new ValidationError(
        `unexpected value '${item.value}' at item ${item.position} (expected key=value)`,
        field,
      );
    }
    const pin = /^vcpupin(\d+)\.(vcpu|cpuset)$/.exec(item.key);
    if (pin) {
      const index = Number(pin[1]);
      const entry = pins.get(index) ?? {};
      if (pin[2] === 'vcpu') entry.vcpu = parseIntInRange(field, item.key, item.value, 0, MAX_VCPUS - 1);
      else entry.cpuset = checkCpuset(field, item.key, item.value);
      pins.set(index, entry);
    } else if (item.key === 'emulatorpin.cpuset') {
      emulatorpin = checkCpuset(field, item.key, item.value);
    } else if (SCALARS.includes(item.key)) {
      if (item.key === 'shares') scalars.shares = parseIntInRange(field, 'shares', item.value, 2, 262_144);
      if (item.key === 'period')
        scalars.period = parseIntInRange(field, 'period', item.value, 1000, 1_000_000);
      if (item.key === 'quota') {
        scalars.quota =
          item.value === '-1' ? -1 : parseIntInRange(field, 'quota', item.value, 1000, 17_592_186_044_415);
      }
    } else {
      throw new ValidationError(
        `unknown key '${item.key}' (item ${item.position}); accepted keys: ${ACCEPTED}`,
        field,
      );
    }
  }
  const vcpupins: VcpuPin[] = [];
  const pinned = new Set<number>();
  for (const [index, entry] of [...pins].sort((a, b) => a[0] - b[0])) {
    if (entry.vcpu === undefined)
      throw new ValidationError(`vcpupin${index} needs vcpupin${index}.vcpu`, field);
    if (pinned.has(entry.vcpu)) throw new ValidationError(`vCPU ${entry.vcpu} is pinned twice`, field);
    pinned.add(entry.vcpu);
    vcpupins.push({ vcpu: entry.vcpu, cpuset: entry.cpuset });
  }
  return { vcpupins, emulatorpin, shares: scalars.shares, period: scalars.period, quota: scalars.quota };
}
