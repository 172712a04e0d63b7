/**
 * An operation as documented: identity, parameter schema and alias spellings, without a handler.
 * The generated params.gen.ts files export one per documented operation; an implementation spreads
 * it into `defineOperation({ ...CreateDisk, handler })`.
 */
import type { TObject } from '@sinclair/typebox';
import type { KindName } from '../kinds.js';

export interface OperationDescriptor<S extends TObject = TObject> {
  readonly kind: KindName;
  /** Canonical lifecycle key, lowerCamelCase (`createDisk`). */
  readonly name: string;
  /** The document's Chinese title. */
  readonly title: string;
  /** English words of the name plus the title, for `ops` and docs. */
  readonly summary: string;
  /** The document's precondition text ("…已调用过CreatePool…"), empty when none. */
  readonly dependsOn: string;
  readonly params: S;
  /** Other spellings clients send → documented name (`!name` = boolean inverse). */
  readonly aliases: Readonly<Record<string, string>>;
}
