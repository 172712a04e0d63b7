/**
 * Constraints between the parameters of one operation, named in the schema as
 * `x-ks-op-checks: [...]` and run by validateParams after every parameter passed on its own.
 * Each receives the validated parameters and throws ValidationError naming the parameter at fault.
 */
import { ValidationError } from '../errors.js';
import { confinePath } from '../paths.js';

export type OpCheck = (params: Readonly<Record<string, unknown>>) => void;

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

function mustBeTrue(p: Readonly<Record<string, unknown>>, key: string, hint: string): void {
  if (p[key] !== true) throw new ValidationError(`must be true (${hint})`, key);
}

const opChecks = new Map<string, OpCheck>([
  [
    // ChangeNumberOfCPU maximum=true: a definition-only change; topology all or none, and then exact.
    'vcpuMaximum',
    (p) => {
      if (p['maximum'] !== true) return;
      if (p['live'] === true || p['hotpluggable'] === true) {
        throw new ValidationError(
          'the maximum vCPU count cannot change in a running VM: use config (it takes effect after a restart)',
          'maximum',
        );
      }
      const parts = [p['cores'], p['sockets'], p['threads']].map(num);
      const given = parts.filter((v) => v !== undefined).length;
      if (given !== 0 && given !== 3)
        throw new ValidationError('give all of cores, sockets and threads, or none', 'cores');
      const product = parts.reduce<number>((a, v) => a * (v ?? 1), 1);
      if (given === 3 && product !== num(p['count'])) {
        throw new ValidationError(
          `the maximum (${num(p['count'])}) must equal cores×sockets×threads = ${product}`,
          'count',
        );
      }
    },
  ],
  [
    // ResizeMaxRAM: QEMU cannot change a running VM's maximum memory.
    'maxMemoryNotLive',
    (p) => {
      if (p['live'] === true) {
        throw new ValidationError(
          'the maximum memory of a running VM cannot change live: use config (it takes effect after a restart)',
          'live',
        );
      }
    },
  ],
  [
    // ManageISO: 弹出光驱，与--insert不可同时设置为true; one of the three actions must be asked.
    'ejectOrInsert',
    (p) => {
      if (p['eject'] === true && p['insert'] === true)
        throw new ValidationError('cannot be true together with insert', 'eject');
      if (p['eject'] !== true && p['insert'] !== true && p['update'] !== true)
        throw new ValidationError('one of eject, insert or update must be true', 'insert');
    },
  ],
  ['insertIsTrue', (p) => mustBeTrue(p, 'insert', 'use ejectISO to eject')],
  ['ejectIsTrue', (p) => mustBeTrue(p, 'eject', 'use insertISO to insert')],
  [
    // TuneDiskQoS: a total limit is exclusive with read/write ones (与read,write互斥); 0 is no limit.
    'ioTuneExclusive',
    (p) => {
      const set = (k: string) => (num(p[k]) ?? 0) > 0;
      for (const kind of ['bytes', 'iops']) {
        if (set(`total_${kind}_sec`) && (set(`read_${kind}_sec`) || set(`write_${kind}_sec`))) {
          throw new ValidationError(
            `cannot be combined with read_${kind}_sec or write_${kind}_sec`,
            `total_${kind}_sec`,
          );
        }
      }
    },
  ],
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
  vcpuMaximum:
    'with maximum=true: not live; cores, sockets and threads all or none, and then count = cores × sockets × threads',
  maxMemoryNotLive: 'live is refused (the maximum memory changes in the definition only)',
  ejectOrInsert: 'eject and insert are not both true; one of eject, insert, update is true',
  insertIsTrue: 'insert is true',
  ejectIsTrue: 'eject is true',
  ioTuneExclusive:
    'total_bytes_sec / total_iops_sec are not combined with the read_/write_ limits of the same kind',
};

export function getOpCheck(name: string): OpCheck {
  const c = opChecks.get(name);
  if (!c) throw new Error(`no operation check named ${name}`);
  return c;
}
