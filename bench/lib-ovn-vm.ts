/**
 * The VM networking part of `npm run bench -- ovn`: PlugNIC's port (l3bridge: LSP with MAC+IP,
 * port security, DHCP, port-group membership) and BindFloatingIP (NAT + the router's leg on the
 * outside switch), each ONE transaction of ours versus the ovn-nbctl sequence the original daemon
 * ran for the same rows (one process per step); medians in ms.
 */
import { randomUUID } from 'node:crypto';
import type { execa } from 'execa';
import {
  addAcl,
  bindFip,
  createSwitch,
  deleteSwitch,
  type NbView,
  plugNicPort,
  removeVmNetwork,
  unbindFip,
  unplugNicRows,
} from '../src/ovn/index.js';
import { figure, median, percentile, timeEach } from './stats.js';

type Nbctl = (...args: string[]) => ReturnType<typeof execa>;

export async function benchVmNetwork(
  nb: NbView,
  nbctl: Nbctl,
  chassis: string,
  prefix: string,
  n: number,
): Promise<void> {
  const nNbctl = Math.max(5, Math.round(n / 10));
  const sw = `${prefix}-vsw`;
  const out = `${prefix}-vout`;
  const vm = `${prefix}-vm`;
  const mac = '52:54:00:be:00:01';
  await createSwitch(nb, {
    name: sw,
    subnet: '10.78.0.0/24',
    gateway: '10.78.0.1',
    dhcp: '10.78.0.1',
    chassis,
  });
  await createSwitch(nb, {
    name: out,
    subnet: '172.31.78.0/24',
    gateway: '172.31.78.1',
    dhcp: '172.31.78.1',
    chassis,
  });
  try {
    // The VM has ACLs, so a plugged NIC also joins its port group (in the same transaction).
    const first = randomUUID();
    await plugNicPort(nb, {
      switchName: sw,
      ifaceId: first,
      mac: '52:54:00:be:00:ff',
      ip: '10.78.0.250',
      vm,
    });
    await addAcl(nb, { vm, type: 'to', rule: 'tcp.dst == 22', operator: 'drop' });
    const ours: number[] = [];
    for (let i = 0; i < n; i++) {
      const input = { switchName: sw, ifaceId: randomUUID(), mac, ip: '10.78.0.10', vm };
      const [t] = await timeEach(1, () => plugNicPort(nb, input));
      ours.push(t as number);
      await unplugNicRows(nb, vm, mac);
    }
    const dhcp = (
      await nbctl('--bare', '--columns=_uuid', 'find', 'DHCP_Options', `external_ids:kubestack/switch=${sw}`)
    ).stdout;
    const theirs: number[] = [];
    for (let i = 0; i < nNbctl; i++) {
      const id = randomUUID();
      const [t] = await timeEach(1, async () => {
        await nbctl(
          '--bare',
          '--columns=_uuid',
          'find',
          'DHCP_Options',
          `external_ids:kubestack/switch=${sw}`,
        );
        await nbctl('--if-exists', 'lsp-del', id);
        await nbctl('lsp-add', sw, id);
        await nbctl('lsp-set-addresses', id, `${mac} 10.78.0.10`);
        await nbctl('lsp-set-port-security', id, `${mac} 10.78.0.10`);
        await nbctl('lsp-set-dhcpv4-options', id, String(dhcp).trim());
      });
      theirs.push(t as number);
      await nbctl('lsp-del', id);
    }
    figure('plugNIC(l3bridge)', {
      ours_ms: median(ours),
      ours_p99_ms: percentile(ours, 99),
      ovn_nbctl_ms: median(theirs),
      ovn_nbctl_calls: 6,
      ratio: median(theirs) / median(ours),
      n_ours: n,
      n_ovn_nbctl: nNbctl,
    });

    await plugNicPort(nb, { switchName: sw, ifaceId: randomUUID(), mac, ip: '10.78.0.10', vm });
    const fipOurs: number[] = [];
    for (let i = 0; i < n; i++) {
      const input = { switchName: sw, outsideSwitch: out, mac, fip: '172.31.78.50/24', vm };
      const [t] = await timeEach(1, () => bindFip(nb, input));
      fipOurs.push(t as number);
      await unbindFip(nb, { switchName: sw, fip: '172.31.78.50' });
    }
    const fipTheirs: number[] = [];
    const lrp = `${prefix}-public-port`;
    const peer = `${prefix}-from-public-port`;
    for (let i = 0; i < nNbctl; i++) {
      const [t] = await timeEach(1, async () => {
        await nbctl(
          '--bare',
          '--columns=addresses',
          'find',
          'Logical_Switch_Port',
          `external_ids:kubestack/mac="${mac}"`,
        );
        await nbctl('lrp-add', `${sw}-router`, lrp, '00:60:2f:be:00:02', '172.31.78.51/24');
        await nbctl('lsp-add', out, peer);
        await nbctl('lsp-set-type', peer, 'router');
        await nbctl('lsp-set-addresses', peer, '00:60:2f:be:00:02');
        await nbctl('lsp-set-options', peer, `router-port=${lrp}`);
        await nbctl('lr-nat-add', `${sw}-router`, 'dnat', '172.31.78.51', '10.78.0.10');
        await nbctl('lr-nat-add', `${sw}-router`, 'snat', '172.31.78.51', '10.78.0.10');
      });
      fipTheirs.push(t as number);
      await nbctl(
        'lr-nat-del',
        `${sw}-router`,
        'dnat',
        '172.31.78.51',
        '--',
        'lr-nat-del',
        `${sw}-router`,
        'snat',
        '10.78.0.10',
      );
      await nbctl('lrp-del', lrp, '--', 'lsp-del', peer);
    }
    figure('bindFloatingIP', {
      ours_ms: median(fipOurs),
      ours_p99_ms: percentile(fipOurs, 99),
      ovn_nbctl_ms: median(fipTheirs),
      ovn_nbctl_calls: 8,
      ratio: median(fipTheirs) / median(fipOurs),
      n_ours: n,
      n_ovn_nbctl: nNbctl,
    });
  } finally {
    await removeVmNetwork(nb, vm);
    await deleteSwitch(nb, sw);
    await deleteSwitch(nb, out);
  }
}
