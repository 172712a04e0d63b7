/**
 * npm run bench -- ovn [n]: CreateSwitch with router port and DHCP options as our ONE guarded
 * transaction (planned from the replica, reported from it) versus the equivalent ovn-nbctl command
 * sequence the original daemon ran (one process per step), side by side; medians in ms. Then the
 * VM networking figures (bench/lib-ovn-vm.ts): plugNIC(l3bridge) and bindFloatingIP.
 */
import { execa } from 'execa';
import { pino } from 'pino';
import { connectNetworkServices, createSwitch, deleteSwitch, localChassis } from '../src/ovn/index.js';
import { benchVmNetwork } from './lib-ovn-vm.js';
import { figure, median, percentile, timeEach } from './stats.js';

const nbRemote = process.env.KUBESTACK_OVN_NB;
const ovsRemote = process.env.KUBESTACK_OVS_DB;
if (!nbRemote || !ovsRemote)
  throw new Error('KUBESTACK_OVN_NB / KUBESTACK_OVS_DB not set: run through npm run bench');

const n = Number(process.argv[2] ?? 200);
const nNbctl = Math.max(5, Math.round(n / 10));
const log = pino({ level: 'silent' });
const { ovnNb: nb, ovs, close } = await connectNetworkServices({ nbRemote, ovsRemote, log });
const chassis = localChassis(ovs);
const prefix = `kst-bench-${process.pid}`;

const nbctl = (...args: string[]) => execa('ovn-nbctl', [`--db=${nbRemote}`, ...args]);

/** The original create-switch steps with a DHCP address: one ovn-nbctl process each. */
async function nbctlCreateSwitch(name: string): Promise<void> {
  const mac = '00:60:2f:00:be:01';
  await nbctl('ls-add', name);
  await nbctl(
    'set',
    'Logical_Switch',
    name,
    'other_config:subnet=10.77.0.0/24',
    'other_config:exclude_ips=10.77.0.1',
  );
  await nbctl('lr-add', `${name}-router`);
  await nbctl('set', 'Logical_Router', `${name}-router`, `options:chassis=${chassis}`);
  await nbctl('lrp-add', `${name}-router`, `${name}-router-port`, mac, '10.77.0.1/24');
  await nbctl('lsp-add', name, `mapping-to-${name}-router`);
  await nbctl('lsp-set-type', `mapping-to-${name}-router`, 'router');
  await nbctl('lsp-set-addresses', `mapping-to-${name}-router`, mac);
  await nbctl('lsp-set-options', `mapping-to-${name}-router`, `router-port=${name}-router-port`);
  await nbctl(
    'create',
    'DHCP_Options',
    'cidr=10.77.0.0/24',
    `options="server_id"="10.77.0.1" "server_mac"="${mac}" "lease_time"="3600" "router"="10.77.0.1" "mtu"="1442"`,
    `external_ids:bench=${name}`,
  );
}

async function nbctlDelete(name: string): Promise<void> {
  const d = await nbctl('--bare', '--columns=_uuid', 'find', 'DHCP_Options', `external_ids:bench=${name}`);
  await nbctl('--if-exists', 'ls-del', name, '--', '--if-exists', 'lr-del', `${name}-router`);
  for (const u of d.stdout.split('\n').filter(Boolean)) await nbctl('dhcp-options-del', u.trim());
}

const input = (name: string) => ({
  name,
  subnet: '10.77.0.0/24',
  gateway: '10.77.0.1',
  dhcp: '10.77.0.1',
  mtu: 1442,
  chassis,
});

try {
  // Warm up both paths (JIT, page cache of the ovn-nbctl binary).
  await createSwitch(nb, input(`${prefix}-w`));
  await deleteSwitch(nb, `${prefix}-w`);
  await nbctlCreateSwitch(`${prefix}-wn`);
  await nbctlDelete(`${prefix}-wn`);

  const ours: number[] = [];
  for (let i = 0; i < n; i++) {
    const name = `${prefix}-o${i}`;
    const [t] = await timeEach(1, () => createSwitch(nb, input(name)));
    ours.push(t as number);
    await deleteSwitch(nb, name);
  }
  const theirs: number[] = [];
  for (let i = 0; i < nNbctl; i++) {
    const name = `${prefix}-n${i}`;
    const [t] = await timeEach(1, () => nbctlCreateSwitch(name));
    theirs.push(t as number);
    await nbctlDelete(name);
  }
  const deletes = await timeEach(n, async (i) => {
    const name = `${prefix}-d${i}`;
    await createSwitch(nb, input(name));
    return deleteSwitch(nb, name);
  });
  const echo = await timeEach(n, () => nb.client.echo());

  figure('createSwitch', {
    ours_ms: median(ours),
    ours_p99_ms: percentile(ours, 99),
    ovn_nbctl_ms: median(theirs),
    ovn_nbctl_calls: 10,
    ratio: median(theirs) / median(ours),
    n_ours: n,
    n_ovn_nbctl: nNbctl,
  });
  figure('createSwitch+deleteSwitch', { ours_ms: median(deletes), n });
  figure('ovsdbEcho', { p50_ms: median(echo), p99_ms: percentile(echo, 99), n });
  await benchVmNetwork(nb, nbctl, chassis, prefix, n);
} finally {
  await close();
}
