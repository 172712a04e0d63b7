/**
 * Structures shared by many procedures, written from the facts of libvirt's remote protocol
 * (field order and widths of remote_nonnull_domain, remote_typed_param, …), in our own terms.
 */
import { type Codec, int, string, struct, uuid } from '../codec.js';
import { LibvirtProtocolError } from '../errors.js';
import { Program } from '../packet.js';

/** A domain as the daemon identifies it: name, UUID, and id (-1 when not running). */
export interface DomainRef {
  name: string;
  uuid: string;
  id: number;
}
export const domainRef: Codec<DomainRef> = struct({ name: string, uuid, id: int });

export interface StoragePoolRef {
  name: string;
  uuid: string;
}
export const storagePoolRef: Codec<StoragePoolRef> = struct({ name: string, uuid });

/** A volume: its pool's name, its name, and its key (the path for file-based pools). */
export interface StorageVolRef {
  pool: string;
  name: string;
  key: string;
}
export const storageVolRef: Codec<StorageVolRef> = struct({ pool: string, name: string, key: string });

export interface SnapshotRef {
  name: string;
  dom: DomainRef;
}
export const snapshotRef: Codec<SnapshotRef> = struct({ name: string, dom: domainRef });

/** virTypedParameter: a named value with one of seven wire types. */
export type TypedParam =
  | { field: string; type: 'int' | 'uint' | 'llong' | 'ullong' | 'double'; value: number }
  | { field: string; type: 'boolean'; value: boolean }
  | { field: string; type: 'string'; value: string };

export type TypedParamType = TypedParam['type'];

const typeCodes: Record<TypedParamType, number> = {
  int: 1,
  uint: 2,
  llong: 3,
  ullong: 4,
  double: 5,
  boolean: 6,
  string: 7,
};

export const typedParam: Codec<TypedParam> = {
  enc: (w, p) => {
    w.string(p.field);
    w.int(typeCodes[p.type]);
    switch (p.type) {
      case 'int':
        w.int(p.value);
        break;
      case 'uint':
        w.uint(p.value);
        break;
      case 'llong':
        w.hyper(p.value);
        break;
      case 'ullong':
        w.uhyper(p.value);
        break;
      case 'double':
        w.double(p.value);
        break;
      case 'boolean':
        w.bool(p.value);
        break;
      case 'string':
        w.string(p.value);
        break;
    }
  },
  dec: (r) => {
    const field = r.string();
    const code = r.int();
    switch (code) {
      case 1:
        return { field, type: 'int', value: r.int() };
      case 2:
        return { field, type: 'uint', value: r.uint() };
      case 3:
        return { field, type: 'llong', value: r.hyper() };
      case 4:
        return { field, type: 'ullong', value: r.uhyper() };
      case 5:
        return { field, type: 'double', value: r.double() };
      case 6:
        return { field, type: 'boolean', value: r.bool() };
      case 7:
        return { field, type: 'string', value: r.string() };
      default:
        throw new LibvirtProtocolError(`typed parameter '${field}' has unknown type ${code}`);
    }
  },
};

/** Builders for typed parameters, so callers write `param.ullong('total_bytes_sec', n)`. */
export const param = {
  int: (field: string, value: number): TypedParam => ({ field, type: 'int', value }),
  uint: (field: string, value: number): TypedParam => ({ field, type: 'uint', value }),
  llong: (field: string, value: number): TypedParam => ({ field, type: 'llong', value }),
  ullong: (field: string, value: number): TypedParam => ({ field, type: 'ullong', value }),
  double: (field: string, value: number): TypedParam => ({ field, type: 'double', value }),
  boolean: (field: string, value: boolean): TypedParam => ({ field, type: 'boolean', value }),
  string: (field: string, value: string): TypedParam => ({ field, type: 'string', value }),
};

/** Typed parameters as a plain object: field → value. */
export function paramsToObject(params: readonly TypedParam[]): Record<string, number | boolean | string> {
  const out: Record<string, number | boolean | string> = {};
  for (const p of params) out[p.field] = p.value;
  return out;
}

/** One remote procedure: which program, its number, its libvirt name, how args and result look. */
export interface Procedure<A, R> {
  readonly program: number;
  readonly number: number;
  /** libvirt's name without the REMOTE_PROC_ prefix, e.g. DOMAIN_LOOKUP_BY_NAME. */
  readonly name: string;
  readonly args: Codec<A>;
  readonly ret: Codec<R>;
  /** May run for seconds or minutes (copies, saves, guest agent): limited to a few at once. */
  readonly slow?: boolean;
}

export function proc<A, R>(number: number, name: string, args: Codec<A>, ret: Codec<R>): Procedure<A, R> {
  return { program: Program.REMOTE, number, name, args, ret };
}

/** Marks a procedure as long-running (see Procedure.slow). */
export function slow<A, R>(p: Procedure<A, R>): Procedure<A, R> {
  return { ...p, slow: true };
}

export function qemuProc<A, R>(number: number, name: string, args: Codec<A>, ret: Codec<R>): Procedure<A, R> {
  return { program: Program.QEMU, number, name, args, ret };
}

/** A struct of one member encodes exactly as the member; `_name` documents the wire field. */
export function field<T>(_name: string, c: Codec<T>): Codec<T> {
  return c;
}
