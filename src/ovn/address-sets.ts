/**
 * CreateAddress / ModifyAddress / DeleteAddress on the OVN Northbound DB: one Address_Set per CR,
 * named as an OVN identifier so ACL matches can reference it (`$name`), owned through external_ids,
 * each change ONE guarded transaction planned from the replica (`plan…` pure, the verbs apply).
 */
import { AlreadyExistsError, InUseError, NotFoundError } from '../errors.js';
import { parseAddressList } from './ip.js';
import { checkCrName, ovnIdentifier } from './names.js';
import type { NbView } from './nb.js';
import { byUuid, del, insert, update, waitAbsent, waitIs } from './ops.js';
import { CR_NAME, isOwnedBy, networkOwner, OWNER, ROLE } from './ownership.js';
import { applyPlanned, type Plan } from './txn.js';
import { toMap, toSet } from './values.js';

export interface AddressSetState {
  _uuid: string;
  name: string;
  crName: string;
  addresses: string[];
  external_ids: Record<string, string>;
}

export function observeAddressSet(nb: NbView, crName: string): AddressSetState | undefined {
  const as = nb.named('Address_Set', ovnIdentifier(crName))[0];
  return as ? { ...as, crName } : undefined;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  return sa.size === new Set(b).size && b.every((x) => sa.has(x));
}

export function planCreateAddress(nb: NbView, crName: string, address: string): Plan<{ created: boolean }> {
  checkCrName(crName);
  const addresses = parseAddressList(address);
  const name = ovnIdentifier(crName);
  const existing = nb.named('Address_Set', name)[0];
  if (existing) {
    if (!isOwnedBy(existing.external_ids, crName)) throw new AlreadyExistsError('address set', name);
    if (sameSet(existing.addresses, addresses)) return { ops: [], value: { created: false } };
    // A replay with another list converges to the requested one.
    return {
      ops: [
        waitIs('Address_Set', name, existing._uuid),
        update('Address_Set', byUuid(existing._uuid), { addresses: toSet(addresses) }),
      ],
      value: { created: false },
    };
  }
  return {
    ops: [
      waitAbsent('Address_Set', name),
      insert('Address_Set', {
        name,
        addresses: toSet(addresses),
        external_ids: toMap({ [OWNER]: networkOwner(crName), [ROLE]: 'address-set', [CR_NAME]: crName }),
      }),
    ],
    value: { created: true },
  };
}

export function planModifyAddress(nb: NbView, crName: string, address: string): Plan<{ changed: boolean }> {
  checkCrName(crName);
  const addresses = parseAddressList(address);
  const name = ovnIdentifier(crName);
  const existing = nb.named('Address_Set', name)[0];
  if (!existing) throw new NotFoundError('address set', name);
  if (!isOwnedBy(existing.external_ids, crName)) {
    throw new InUseError(`address set '${name}' was not created by kubestack; refusing to change it`);
  }
  if (sameSet(existing.addresses, addresses)) return { ops: [], value: { changed: false } };
  return {
    ops: [
      waitIs('Address_Set', name, existing._uuid),
      update('Address_Set', byUuid(existing._uuid), { addresses: toSet(addresses) }),
    ],
    value: { changed: true },
  };
}

/** ACLs whose match references `$name` (deleting the set would make them unparsable: silently off). */
export function aclsUsingAddressSet(nb: NbView, name: string): string[] {
  const re = new RegExp(`\\$${name.replace(/\./g, '\\.')}(?![A-Za-z0-9_.])`);
  return nb
    .all('ACL')
    .filter((a) => re.test(a.match))
    .map((a) => a._uuid);
}

export function planDeleteAddress(nb: NbView, crName: string): Plan<{ deleted: boolean }> {
  checkCrName(crName);
  const name = ovnIdentifier(crName);
  const existing = nb.named('Address_Set', name)[0];
  if (!existing) return { ops: [], value: { deleted: false } };
  if (!isOwnedBy(existing.external_ids, crName)) {
    throw new InUseError(`address set '${name}' was not created by kubestack; refusing to delete it`);
  }
  const users = aclsUsingAddressSet(nb, name);
  if (users.length > 0) throw new InUseError(`address set '${name}' is used by ${users.length} ACL(s)`);
  return {
    ops: [waitIs('Address_Set', name, existing._uuid), del('Address_Set', byUuid(existing._uuid))],
    value: { deleted: true },
  };
}

export async function createAddress(nb: NbView, crName: string, address: string): Promise<AddressSetState> {
  await applyPlanned(nb.client, () => planCreateAddress(nb, crName, address), {
    comment: `kubestack: createAddress ${crName}`,
  });
  return mustObserveAddress(nb, crName);
}

export async function modifyAddress(nb: NbView, crName: string, address: string): Promise<AddressSetState> {
  await applyPlanned(nb.client, () => planModifyAddress(nb, crName, address), {
    comment: `kubestack: modifyAddress ${crName}`,
  });
  return mustObserveAddress(nb, crName);
}

export async function deleteAddress(nb: NbView, crName: string): Promise<{ deleted: boolean }> {
  const applied = await applyPlanned(nb.client, () => planDeleteAddress(nb, crName), {
    comment: `kubestack: deleteAddress ${crName}`,
  });
  return applied.value;
}

function mustObserveAddress(nb: NbView, crName: string): AddressSetState {
  const s = observeAddressSet(nb, crName);
  if (!s) throw new NotFoundError('address set', ovnIdentifier(crName));
  return s;
}
