import { describe, expect, it } from 'vitest';
import { hostThings, unmanaged } from '../../../src/reporters/census.js';

describe('host census', () => {
  it('counts host things no object names, never the ones another tool tagged', async () => {
    const rows = (ids: Array<Record<string, string>>) => ({
      where: () => ids.map((external_ids) => ({ external_ids })) as never,
    });
    const onHost = await hostThings({
      libvirt: { connectListAllDomains: async () => [{ name: 'vm1' }, { name: 'stray' }] as never },
      storage: { listPools: async () => [{ name: 'p1' }, { name: 'old-pool' }] as never },
      ovnNb: rows([
        { 'kubestack/owner': 'VirtualMachineNetwork/sw1', 'kubestack/role': 'switch' },
        { 'kubestack/owner': 'VirtualMachineNetwork/lost', 'kubestack/role': 'switch' },
        { 'kubestack/owner': 'VirtualMachine/vm1', 'kubestack/role': 'nic' },
        {},
      ]),
    });
    expect(onHost).toEqual({ domain: ['vm1', 'stray'], pool: ['p1', 'old-pool'], switch: ['sw1', 'lost'] });
    const known = { domain: new Set(['vm1']), pool: new Set(['p1']), switch: new Set(['sw1']) };
    expect(unmanaged(onHost, known)).toEqual({ domain: ['stray'], pool: ['old-pool'], switch: ['lost'] });
  });
});
