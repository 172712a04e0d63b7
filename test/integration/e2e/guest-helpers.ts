/**
 * Reading the tiny guest from inside (through its qemu-guest-agent, as a test's proof of what the
 * guest itself sees) and from its serial console, plus its domain definition: the shape
 * CreateAndStartVMFromISO builds, booted directly from the tiny guest's kernel under TCG.
 */
import { readFile } from 'node:fs/promises';
import { validateParams } from '../../../src/executors/validate.js';
import { CreateAndStartVMFromISO } from '../../../src/executors/virtual-machine/params.gen.js';
import { buildDomainXml, domainSpecFromParams } from '../../../src/libvirt/domain-xml/index.js';
import type { DomainRef, LibvirtClient } from '../../../src/libvirt/index.js';
import type { TinyGuest } from '../../fixtures/e2e/tiny-guest.js';

async function agent(lv: LibvirtClient, dom: DomainRef, cmd: object): Promise<Record<string, unknown>> {
  const out = await lv.qemuDomainAgentCommand(dom, JSON.stringify(cmd), 10);
  return (JSON.parse(out ?? '{}') as { return: Record<string, unknown> }).return;
}

/** Bytes of a guest file (or device), read by the guest agent. */
export async function guestRead(
  lv: LibvirtClient,
  dom: DomainRef,
  path: string,
  o: { offset?: number; count?: number } = {},
): Promise<Buffer> {
  const handle = (await agent(lv, dom, {
    execute: 'guest-file-open',
    arguments: { path, mode: 'r' },
  })) as unknown;
  try {
    if (o.offset) {
      await agent(lv, dom, {
        execute: 'guest-file-seek',
        arguments: { handle, offset: o.offset, whence: 'set' },
      });
    }
    const r = await agent(lv, dom, {
      execute: 'guest-file-read',
      arguments: { handle, count: o.count ?? 65536 },
    });
    return Buffer.from(String(r['buf-b64'] ?? ''), 'base64');
  } finally {
    await agent(lv, dom, { execute: 'guest-file-close', arguments: { handle } }).catch(() => undefined);
  }
}

export const guestText = async (lv: LibvirtClient, dom: DomainRef, path: string): Promise<string> =>
  (await guestRead(lv, dom, path)).toString('utf8');

/** Waits until the guest agent answers a ping (it starts a few seconds after the kernel). */
export async function waitGuestAgent(lv: LibvirtClient, dom: DomainRef, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      await agent(lv, dom, { execute: 'guest-ping' });
      return;
    } catch (err) {
      if (Date.now() > end) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** How often the console printed `text`. */
export async function consoleCount(serial: string, text: string): Promise<number> {
  return (await readFile(serial, 'utf8').catch(() => '')).split(text).length - 1;
}

export async function waitConsole(
  serial: string,
  text: string,
  times: number,
  timeoutMs: number,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while ((await consoleCount(serial, text)) < times) {
    if (Date.now() > end) {
      const tail = (await readFile(serial, 'utf8').catch(() => '')).slice(-1500);
      throw new Error(`guest console printed ${text} fewer than ${times} times:\n${tail}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The tiny guest's definition: 1 of 2 vCPUs, 256 of 320 MiB, a qcow2 root disk, a SCSI CD-ROM
 * (on virtio-scsi: the cloud kernel has no AHCI driver), VNC, the guest agent channel, TCG.
 */
export function tinyGuestXml(
  name: string,
  guest: TinyGuest,
  o: { root: string; iso: string; serial: string; bridge: string },
): string {
  const raw = {
    graphics: 'vnc,listen=127.0.0.1',
    disk: `${o.root},format=qcow2 --disk ${o.iso},device=cdrom,perms=ro,bus=scsi,target=sda`,
    memory: '256',
    network: `type=bridge,source=${o.bridge}`,
    os_variant: 'centos7.0',
    vcpus: '1,maxvcpus=2',
    noautoconsole: true,
  };
  const spec = domainSpecFromParams(validateParams(CreateAndStartVMFromISO, raw), {
    name,
    nodeVirtType: 'qemu',
  });
  const xml = buildDomainXml({
    ...spec,
    virtType: 'qemu',
    boot: [],
    kernelBoot: { kernel: guest.kernel, initrd: guest.initrd, cmdline: 'console=ttyS0 panic=-1' },
    serial: { type: 'file', path: o.serial },
    maxMemoryMib: 320,
  });
  return xml.replace('</devices>', "<controller type='scsi' index='0' model='virtio-scsi'/></devices>");
}
