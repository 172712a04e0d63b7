/**
 * Constraints between the parameters of one operation, named in the schema as
 * `x-ks-op-checks: [...]` and run by validateParams after every parameter passed on its own.
 * Each receives the validated parameters and throws ValidationError naming the parameter at fault.
 */
import { ValidationError } from '../errors.js';

export type OpCheck = (params: Readonly<Record<string, unknown>>) => void;

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

const opChecks = new Map<string, OpCheck>([
  [
    // ChangeNumberOfCPU: the vCPU count cannot exceed cores × sockets × threads.
    'vcpuTopology',
    (p) => {
      const [count, cores, sockets, threads] = [p['count'], p['cores'], p['sockets'], p['threads']].map(num);
      if (count === undefined || cores === undefined || sockets === undefined || threads === undefined)
        return;
      if (count > cores * sockets * threads) {
        throw new ValidationError(
          `${count} vCPUs exceed cores×sockets×threads = ${cores}×${sockets}×${threads} = ${cores * sockets * threads}`,
          'count',
        );
      }
    },
  ],
  [
    // PlugNIC: ip= and switch= in `source` are only for type l3bridge.
    'nicSourceMatchesType',
    (p) => {
      const source = typeof p['source'] === 'string' ? p['source'] : '';
      if (p['type'] !== 'l3bridge' && /(^|,)(ip|switch)=/.test(source)) {
        throw new ValidationError(
          `ip= and switch= are only supported with type=l3bridge, not ${String(p['type'])}`,
          'source',
        );
      }
    },
  ],
  [
    // UpdateGraphic: a password and no_password=true contradict each other.
    'passwordOrNoPassword',
    (p) => {
      if (p['no_password'] === true && p['password'] !== undefined) {
        throw new ValidationError('cannot be true together with a password', 'no_password');
      }
    },
  ],
]);

export function getOpCheck(name: string): OpCheck {
  const c = opChecks.get(name);
  if (!c) throw new Error(`no operation check named ${name}`);
  return c;
}
