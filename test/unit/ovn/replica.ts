/**
 * A replica filled by hand, so planners can be tested as pure functions of the DB state. This stands
 * in for the monitor only: the integration tests run the same planners on the real databases.
 */
import { RowCache } from '../../../src/ovn/cache.js';
import type { OvsdbClient } from '../../../src/ovn/client.js';
import { NbView } from '../../../src/ovn/nb.js';
import type { Row } from '../../../src/ovn/protocol.js';
import { OvsView } from '../../../src/ovn/vswitch.js';

export function replica(tables: Record<string, Record<string, Row>>): { nb: NbView; ovs: OvsView } {
  const cache = new RowCache(() => undefined);
  const initial: Record<string, Record<string, { initial: Row }>> = {};
  for (const [t, rows] of Object.entries(tables)) {
    initial[t] = Object.fromEntries(Object.entries(rows).map(([id, row]) => [id, { initial: row }]));
  }
  cache.applyUpdates2(initial);
  const client = { cache, monitors: () => true } as unknown as OvsdbClient;
  return { nb: new NbView(client), ovs: new OvsView(client) };
}
