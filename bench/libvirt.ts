/**
 * libvirt client vs a `virsh` process per step, side by side on the test bed's libvirtd:
 * (a) lookup + info, (b) domain XML, (c) define + undefine; plus pipelined calls per second on
 * one connection. One JSON line per figure. Run: npm run bench -- libvirt [N]
 */
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { execa } from 'execa';
import { pino } from 'pino';
import { LibvirtClient } from '../src/libvirt/index.js';
import { figure, median, timeEach } from './stats.js';

const N = Number(process.argv[2] ?? 500);
const N_VIRSH = Math.max(10, Math.min(50, Math.round(N / 10)));
const PIPELINED = 20_000;
const socketPath = process.env.KUBESTACK_LIBVIRT_SOCKET ?? '/var/run/libvirt/libvirt-sock';
const virtType = process.env.KUBESTACK_VIRT_TYPE === 'kvm' ? 'kvm' : 'qemu';
const virsh = (...args: string[]) => execa('virsh', ['-c', 'qemu:///system', ...args]);

const tag = `ks-rpc-bench-${process.pid}-${randomBytes(3).toString('hex')}`;
const xmlFor = (name: string) =>
  `<domain type='${virtType}'><name>${name}</name><memory unit='MiB'>32</memory><vcpu>1</vcpu>` +
  `<os><type arch='x86_64' machine='pc'>hvm</type></os><features><acpi/></features></domain>`;

async function main(): Promise<void> {
  const c = await LibvirtClient.connect({ socketPath, log: pino({ level: 'warn' }) });
  const xmlFile = join(tmpdir(), `${tag}.xml`);
  const name = `${tag}-a`;
  try {
    const dom = await c.domainDefineXMLFlags(xmlFor(name));
    for (let i = 0; i < 200; i++) await c.domainGetInfo(await c.domainLookupByName(name)); // warm up

    const oursA = await timeEach(N, async () => c.domainGetInfo(await c.domainLookupByName(name)));
    const virshA = await timeEach(N_VIRSH, () => virsh('dominfo', name));
    report('lookup+info', oursA, virshA);

    const oursB = await timeEach(N, () => c.domainGetXMLDesc(dom));
    const virshB = await timeEach(N_VIRSH, () => virsh('dumpxml', name));
    report('xml', oursB, virshB);

    const nD = Math.min(N, 200);
    const oursC = await timeEach(nD, async (i) => {
      const d = await c.domainDefineXMLFlags(xmlFor(`${tag}-c${i}`));
      await c.domainUndefineFlags(d);
    });
    const virshC = await timeEach(N_VIRSH, async (i) => {
      await writeFile(xmlFile, xmlFor(`${tag}-v${i}`));
      await virsh('define', xmlFile);
      await virsh('undefine', `${tag}-v${i}`);
    });
    report('define+undefine', oursC, virshC);

    // The machine is shared: three rounds, median and best reported, with the load average.
    // Our process's CPU per call shows the client's own ceiling apart from the daemon's.
    const rates: number[] = [];
    const cpuPerCall: number[] = [];
    for (let round = 0; round < 3; round++) {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await Promise.all(Array.from({ length: PIPELINED }, () => c.domainGetInfo(dom)));
      rates.push(PIPELINED / ((performance.now() - t0) / 1000));
      const cpu = process.cpuUsage(cpu0);
      cpuPerCall.push((cpu.user + cpu.system) / PIPELINED);
    }
    figure('pipelined calls', {
      calls: PIPELINED,
      calls_per_s: median(rates),
      best_calls_per_s: Math.max(...rates),
      client_cpu_us_per_call: median(cpuPerCall),
      load1: loadavg()[0] ?? 0,
    });

    await c.domainUndefineFlags(dom);
  } finally {
    for (const d of await c.connectListAllDomains()) {
      if (d.name.startsWith(tag)) await c.domainUndefineFlags(d).catch(() => undefined);
    }
    await rm(xmlFile, { force: true });
    await c.close();
  }
}

function report(name: string, ours: number[], viaVirsh: number[]): void {
  const o = median(ours);
  const v = median(viaVirsh);
  figure(name, { ours_ms: o, virsh_ms: v, ratio: v / o, n_ours: ours.length, n_virsh: viaVirsh.length });
}

await main();
