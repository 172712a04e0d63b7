/**
 * The host census of a full resync: which domains, pools and switches exist on the host without an
 * object of this node. They are counted and logged, never deleted and never adopted — another
 * tool (or an operator by hand) may own them, and an object is what makes a thing the agent's.
 *
 * Switches are the Northbound switches and the local OVS bridges the agent created (tagged with
 * its owner key); other rows were never the agent's and are not counted.
 */
import type { LibvirtClient } from '../libvirt/index.js';
import type { NbView } from '../ovn/nb.js';
import { OWNER, ROLE } from '../ovn/ownership.js';
import type { OvsView } from '../ovn/vswitch.js';
import type { StorageEngine } from '../storage/engine.js';

export type HostThingType = 'domain' | 'pool' | 'switch';

export interface CensusSources {
  libvirt?: Pick<LibvirtClient, 'connectListAllDomains'>;
  storage?: Pick<StorageEngine, 'listPools'>;
  ovnNb?: Pick<NbView, 'where'>;
  ovs?: Pick<OvsView, 'where'>;
}

/** Names of this node's objects, per host thing type. */
export type KnownNames = Record<HostThingType, ReadonlySet<string>>;

export type Unmanaged = Record<HostThingType, string[]>;

const NETWORK_OWNER = 'VirtualMachineNetwork/';

function switchNames(s: CensusSources): string[] {
  const owned = (ids: Record<string, string>, role: string): string | undefined => {
    const owner = ids[OWNER];
    return ids[ROLE] === role && owner?.startsWith(NETWORK_OWNER)
      ? owner.slice(NETWORK_OWNER.length)
      : undefined;
  };
  const names = [
    ...(s.ovnNb?.where('Logical_Switch', () => true) ?? []).map((r) => owned(r.external_ids, 'switch')),
    ...(s.ovs?.where('Bridge', () => true) ?? []).map((r) => owned(r.external_ids, 'bridge')),
  ];
  return names.filter((n): n is string => n !== undefined);
}

/** What is on the host: domain, pool and switch names (a source that is absent counts nothing). */
export async function hostThings(s: CensusSources): Promise<Unmanaged> {
  const [domains, pools] = await Promise.all([
    s.libvirt ? s.libvirt.connectListAllDomains(0).then((ds) => ds.map((d) => d.name)) : [],
    s.storage ? s.storage.listPools().then((ps) => ps.map((p) => p.name)) : [],
  ]);
  return { domain: domains, pool: pools, switch: switchNames(s) };
}

/** The host things no object of this node names, sorted. */
export function unmanaged(onHost: Unmanaged, known: KnownNames): Unmanaged {
  const missing = (t: HostThingType) => [...new Set(onHost[t].filter((n) => !known[t].has(n)))].sort();
  return { domain: missing('domain'), pool: missing('pool'), switch: missing('switch') };
}
