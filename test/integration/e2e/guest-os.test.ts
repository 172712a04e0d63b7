/**
 * The operations whose success only a guest OS can give: StopVM (the guest acts on the ACPI power
 * button) and UnplugDisk (the guest releases the hot-plugged device; we report done only on the
 * device-removed event). The tiny guest (test/fixtures/e2e/tiny-guest.ts) runs under TCG, because
 * on this test bed a guest kernel does not boot under KVM; its disk-backed definition otherwise is
 * what CreateAndStartVMFromISO builds.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationSpec } from '../../../src/executors/types.js';
import { validateParams } from '../../../src/executors/validate.js';
import { removeDeviceFiles } from '../../../src/executors/virtual-machine/device-files.js';
import { operations as vmOps } from '../../../src/executors/virtual-machine/index.js';
import { CreateAndStartVMFromISO } from '../../../src/executors/virtual-machine/params.gen.js';
import { buildDomainXml, domainSpecFromParams } from '../../../src/libvirt/domain-xml/index.js';
import { tinyGuest } from '../../fixtures/e2e/tiny-guest.js';
import { domstate, type E2E, e2eServices, env, GiB, removeDomain, runOp, unique, virsh } from './helpers.js';

const op = (name: string): OperationSpec => {
  const o = vmOps.find((x) => x.name === name);
  if (!o) throw new Error(`no operation ${name}`);
  return o;
};

let t: E2E;
const pool = unique('pool');
const vm = unique('guest');
let serial: string;

async function waitSerial(text: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if ((await readFile(serial, 'utf8').catch(() => '')).includes(text)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `guest console never printed ${text}:\n${(await readFile(serial, 'utf8').catch(() => '')).slice(-2000)}`,
  );
}

beforeAll(async () => {
  t = await e2eServices({ unplugTimeoutMs: 30_000, vmStopTimeoutMs: 30_000 });
  const guest = await tinyGuest();
  await t.storage.createPool({ name: pool, type: 'dir', path: join(t.root, pool) });
  const root = await t.storage.createDisk({ pool, name: unique('root'), capacity: GiB });
  serial = join(t.root, `${vm}.console`);
  const raw = {
    graphics: 'vnc,listen=127.0.0.1',
    disk: `${root.current},format=qcow2`,
    memory: '256',
    network: `type=bridge,source=${env.testBridge}`,
    os_variant: 'centos7.0',
    vcpus: '1',
    noautoconsole: true,
  };
  const spec = domainSpecFromParams(validateParams(CreateAndStartVMFromISO, raw), {
    name: vm,
    nodeVirtType: 'qemu',
  });
  const xml = buildDomainXml({
    ...spec,
    virtType: 'qemu',
    boot: [],
    kernelBoot: { kernel: guest.kernel, initrd: guest.initrd, cmdline: 'console=ttyS0 panic=-1' },
    serial: { type: 'file', path: serial },
  });
  const dom = await t.libvirt.domainDefineXMLFlags(xml, 0);
  await t.libvirt.domainCreate(dom);
  await waitSerial('KSGUEST READY', 90_000);
}, 180_000);

afterAll(async () => {
  await removeDomain(vm);
  await removeDeviceFiles(vm);
  await t.storage.deletePool(pool, { force: true }).catch(() => undefined);
  await t.close();
});

describe('with a guest OS (TCG)', () => {
  it('plugDisk then unplugDisk: done when the guest releases the device', async () => {
    const d = await t.storage.createDisk({ pool, name: unique('data'), capacity: GiB });
    await runOp(op('plugDisk'), t.services, vm, { source: d.current, target: 'vdb', live: true });
    expect(await virsh('domblklist', vm)).toContain(d.current);
    const out = await runOp(op('unplugDisk'), t.services, vm, { target: 'vdb', live: true });
    expect(await virsh('domblklist', vm)).not.toContain(d.current);
    expect(JSON.stringify(out.report)).not.toContain(d.current);
    expect(existsSync(`/var/lib/libvirt/devices/${vm}-disk-vdb.xml`)).toBe(false);
  }, 60_000);

  it('stopVM: the guest powers off on the ACPI request', async () => {
    const out = await runOp(op('stopVM'), t.services, vm, {});
    expect(out.spec).toMatchObject({ powerstate: 'Shutdown' });
    expect(await domstate(vm)).toBe('shut off');
    expect(await readFile(serial, 'utf8')).toContain('KSGUEST POWEROFF');
  }, 60_000);
});
