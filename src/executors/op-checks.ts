/**
 * Constraints between the parameters of one operation, named in the schema as
 * `x-ks-op-checks: [...]` and run by validateParams after every parameter passed on its own.
 * Each receives the validated parameters and throws ValidationError naming the parameter at fault.
 */
import { ValidationError } from '../errors.js';
import { confinePath } from '../paths.js';

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
    // CreatePool: the url's form depends on the type — a confined directory for dir/localfs/vdiskfs,
    // `host:volume` for glusterfs, `host:/export` for nfs (uus URLs are the storage vendor's).
    'poolUrlMatchesType',
    (p) => {
      const url = String(p['url'] ?? '');
      const type = p['type'];
      if (type === 'dir' || type === 'localfs' || type === 'vdiskfs') confinePath(url, 'url');
      else if (type === 'glusterfs' && !/^[A-Za-z0-9.-]+:[A-Za-z0-9._-]+$/.test(url)) {
        throw new ValidationError(`a glusterfs pool's url is host:volume, got ${JSON.stringify(url)}`, 'url');
      } else if (type === 'nfs' && !/^[A-Za-z0-9.-]+:\/[A-Za-z0-9._/-]*$/.test(url)) {
        throw new ValidationError(`an nfs pool's url is host:/export, got ${JSON.stringify(url)}`, 'url');
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

/** What each check enforces, for docs/operations.md. */
export const OP_CHECK_DOCS: Readonly<Record<string, string>> = {
  vcpuTopology: 'count ≤ cores × sockets × threads when all three are given',
  nicSourceMatchesType: 'ip= and switch= in source only with type l3bridge',
  poolUrlMatchesType:
    'url is a confined directory for dir/localfs/vdiskfs, host:volume for glusterfs, host:/export for nfs',
  passwordOrNoPassword: 'password and no_password=true are not given together',
};

export function getOpCheck(name: string): OpCheck {
  const c = opChecks.get(name);
  if (!c) throw new Error(`no operation check named ${name}`);
  return c;
}
