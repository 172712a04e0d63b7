/** Typed reads over an OVSDB client's replica: one decoder per table turns raw rows into typed rows. */
import type { OvsdbClient } from './client.js';
import type { Row } from './protocol.js';

export type RowDecoders = Readonly<Record<string, (r: Row) => unknown>>;

/** The typed row of table `T` under decoders `D`. */
export type DecodedRow<D extends RowDecoders, T extends keyof D> = ReturnType<D[T]>;

export class TypedView<D extends RowDecoders> {
  constructor(
    readonly client: OvsdbClient,
    private readonly decoders: D,
  ) {}

  private decoder<T extends keyof D & string>(table: T): (r: Row) => DecodedRow<D, T> {
    return this.decoders[table] as (r: Row) => DecodedRow<D, T>;
  }

  all<T extends keyof D & string>(table: T): DecodedRow<D, T>[] {
    return this.client.cache.rows(table).map(this.decoder(table));
  }

  get<T extends keyof D & string>(table: T, rowUuid: string): DecodedRow<D, T> | undefined {
    const r = this.client.cache.get(table, rowUuid);
    return r ? this.decoder(table)(r) : undefined;
  }

  where<T extends keyof D & string>(table: T, pred: (row: DecodedRow<D, T>) => boolean): DecodedRow<D, T>[] {
    return this.all(table).filter(pred);
  }
}
