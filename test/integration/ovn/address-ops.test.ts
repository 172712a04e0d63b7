/**
 * CreateAddress / ModifyAddress / DeleteAddress through their handlers on the real Northbound DB:
 * names made referenceable in ACL matches, ownership, idempotent replays, and deletion refused while
 * an ACL still uses the set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubestackError, ValidationError } from '../../../src/errors.js';
import { createAddressOp } from '../../../src/executors/virtual-machine-network/create-address.js';
import { deleteAddressOp } from '../../../src/executors/virtual-machine-network/delete-address.js';
import { modifyAddressOp } from '../../../src/executors/virtual-machine-network/modify-address.js';
import { connectNet, context, type Net, nbctl, nbFind, run, uniq } from './fixture.js';

let net: Net;
const id = uniq();
const cr = `kst-as-${id}`;
const asName = `kst_as_${id}`;
const sw = `kst-assw-${id}`;

beforeAll(async () => {
  net = await connectNet();
});

afterAll(async () => {
  await nbctl('--if-exists', 'ls-del', sw);
  await nbctl('--if-exists', 'destroy', 'Address_Set', asName).catch(() => undefined);
  await net.close();
});

type AddressInfo = { addressInfo: { _uuid: string; name: string; addresses: string; external_ids: string } };

describe('address sets', () => {
  it('CreateAddress makes an ACL-referenceable set (- becomes _) tagged with its CR', async () => {
    const out = await run(createAddressOp, context(net, cr), { address: '10.9.0.7,10.9.0.8，10.9.2.1' });
    expect(out.spec).toEqual({ type: 'l3address' });
    const info = (out.report as AddressInfo).addressInfo;
    expect(info.name).toBe(asName);
    expect(JSON.parse(info.addresses).sort()).toEqual(['10.9.0.7', '10.9.0.8', '10.9.2.1']);
    expect(JSON.parse(info.external_ids)['kubestack/name']).toBe(cr);
    expect(await nbctl('get', 'Address_Set', asName, 'addresses')).toBe(
      '["10.9.0.7", "10.9.0.8", "10.9.2.1"]',
    );
    // The original's dashed names could not be used in a match; this one parses.
    await nbctl('ls-add', sw);
    await nbctl('acl-add', sw, 'to-lport', '100', `ip4.src == $${asName}`, 'drop');
  });

  it('a replay is a no-op; ModifyAddress replaces the list', async () => {
    await run(createAddressOp, context(net, cr), { address: '10.9.0.7,10.9.0.8,10.9.2.1' });
    const out = await run(modifyAddressOp, context(net, cr), { address: '10.9.0.9' });
    expect(JSON.parse((out.report as AddressInfo).addressInfo.addresses)).toEqual(['10.9.0.9']);
    expect(await nbctl('get', 'Address_Set', asName, 'addresses')).toBe('["10.9.0.9"]');
  });

  it('bad input: not an address; modify of a missing set', async () => {
    const e1 = await run(createAddressOp, context(net, `kst-bad-${id}`), { address: '10.9.0.300' }).catch(
      (e: unknown) => e,
    );
    expect(e1).toBeInstanceOf(ValidationError);
    expect((e1 as Error).message).toMatch(/address/);
    const e2 = await run(modifyAddressOp, context(net, `kst-none-${id}`), { address: '10.0.0.1' }).catch(
      (e: unknown) => e,
    );
    expect((e2 as KubestackError).reason).toBe('NotFound');
    expect(await nbFind('Address_Set', 'name', `name=kst_bad_${id}`)).toEqual([]);
  });

  it('DeleteAddress refuses while an ACL references the set, then deletes; replays succeed', async () => {
    const err = await run(deleteAddressOp, context(net, cr), {}).catch((e: unknown) => e);
    expect((err as KubestackError).reason).toBe('InUse');
    await nbctl('acl-del', sw);
    // ovn-nbctl's change reaches our replica as a monitor update; a round trip after it guarantees
    // the update was received (the server sends it before answering our later request).
    await net.nb.client.echo();
    const out = await run(deleteAddressOp, context(net, cr), {});
    expect(out.deleteObject).toBe(true);
    expect(await nbFind('Address_Set', 'name', `name=${asName}`)).toEqual([]);
    expect((await run(deleteAddressOp, context(net, cr), {})).deleteObject).toBe(true);
  });
});
