/**
 * Property, on the real libvirtd: every parameter set the parsers accept builds a domain that
 * libvirtd defines with schema validation, and whose dumped XML converts with the forced lists.
 * Domains are named `ks-xml-<pid>-p<n>` and undefined right away.
 */
import { writeFile } from 'node:fs/promises';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors.js';
import {
  buildDomainXml,
  type CreateVmParams,
  domainSpecFromParams,
} from '../../../src/libvirt/domain-xml/index.js';
import { domainXmlToJson, type JsonObject } from '../../../src/libvirt/xml-json.js';
import { testbedEnv } from '../testbed-env.js';
import { imageDir, qemuImgCreate, removeDomain, virsh } from './virsh.js';

const env = testbedEnv();
const prefix = `ks-xml-${process.pid}-p`;
let dir = '';
let cleanupDir: () => Promise<void> = async () => undefined;
let count = 0;
/** Domains defined and not yet undefined (left over only when an assertion failed). */
const defined = new Set<string>();

beforeAll(async () => {
  ({ dir, cleanup: cleanupDir } = await imageDir(`ks-xml-${process.pid}-prop-`));
});

afterAll(async () => {
  for (const name of defined) await removeDomain(name);
  await cleanupDir();
});

const disk = fc.record({
  bus: fc.option(fc.constantFrom('virtio', 'sata', 'scsi', 'usb'), { nil: undefined }),
  format: fc.option(fc.constantFrom('qcow2', 'raw'), { nil: undefined }),
  cache: fc.option(fc.constantFrom('none', 'writethrough', 'directsync', 'unsafe', 'writeback'), {
    nil: undefined,
  }),
  perms: fc.option(fc.constantFrom('rw', 'sh', 'ro'), { nil: undefined }),
  readBytes: fc.option(fc.integer({ min: 1, max: 9_999_999_999 }), { nil: undefined }),
  totalIops: fc.option(fc.integer({ min: 1, max: 99_999 }), { nil: undefined }),
});

const paramSet = fc.record({
  os: fc.constantFrom(
    'centos7.0',
    'debian11',
    'ubuntu20.04',
    'win10',
    'winxp',
    'fedora30',
    'generic',
    'rhel6.0',
  ),
  memory: fc.integer({ min: 100, max: 4096 }),
  topo: fc.constantFrom([1, 1, 1], [1, 2, 1], [2, 2, 1], [1, 2, 2], [2, 1, 2]),
  count: fc.integer({ min: 1, max: 8 }),
  disks: fc.array(disk, { minLength: 1, maxLength: 3 }),
  cdrom: fc.boolean(),
  gfx: fc.constantFrom('vnc', 'spice'),
  password: fc.option(fc.stringMatching(/^[a-z0-9-]{4,8}$/), { nil: undefined }),
  nic: fc.constantFrom(
    'type=bridge,source=virbr0',
    'type=l2bridge,source=br-int',
    'type=l3bridge,source=br-int,switch=sw-prop',
  ),
  model: fc.option(fc.constantFrom('virtio', 'e1000', 'rtl8139'), { nil: undefined }),
  boot: fc.option(fc.constantFrom('hd', 'cdrom,hd', 'network,hd'), { nil: undefined }),
  pin: fc.boolean(),
});

describe('property on the real libvirtd', () => {
  it('every accepted parameter set defines with schema validation', async () => {
    await qemuImgCreate(`${dir}/d0.qcow2`, 'qcow2');
    await qemuImgCreate(`${dir}/d1.qcow2`, 'qcow2');
    await qemuImgCreate(`${dir}/d2.img`, 'raw');
    await qemuImgCreate(`${dir}/i.iso`, 'raw', '1M');
    const paths = [`${dir}/d0.qcow2`, `${dir}/d1.qcow2`, `${dir}/d2.img`];
    await fc.assert(
      fc.asyncProperty(paramSet, async (p) => {
        const [s, c, t] = p.topo as [number, number, number];
        const max = s * c * t;
        const params: CreateVmParams = {
          os_variant: p.os,
          memory: String(p.memory),
          vcpus: `${Math.min(p.count, max)},maxvcpus=${max},sockets=${s},cores=${c},threads=${t}`,
          disk: p.disks
            .map((d, i) =>
              [
                paths[i],
                d.bus && `bus=${d.bus}`,
                d.format && `format=${d.format}`,
                d.cache && `cache=${d.cache}`,
                d.perms && `perms=${d.perms}`,
                d.readBytes && `read_bytes_sec=${d.readBytes}`,
                d.totalIops && `total_iops_sec=${d.totalIops}`,
              ]
                .filter(Boolean)
                .join(','),
            )
            .join(' --disk '),
          graphics: `${p.gfx},listen=0.0.0.0${p.password ? `,password=${p.password}` : ''}`,
          network: `${p.nic}${p.model ? `,model=${p.model}` : ''}`,
          noautoconsole: true,
          ...(p.cdrom ? { cdrom: `${dir}/i.iso` } : {}),
          ...(p.boot ? { boot: p.boot } : {}),
          ...(p.pin ? { cputune: 'vcpupin0.vcpu=0,vcpupin0.cpuset=0' } : {}),
        };
        const name = `${prefix}${count++}`;
        let xml: string;
        try {
          xml = buildDomainXml(domainSpecFromParams(params, { name, nodeVirtType: env.virtType }));
        } catch (err) {
          // Combinations the builder refuses (e.g. more than 4 IDE devices) must be refused precisely.
          expect(err).toBeInstanceOf(ValidationError);
          return;
        }
        await writeFile(`${dir}/${name}.xml`, xml);
        await virsh('define', '--validate', `${dir}/${name}.xml`);
        defined.add(name);
        const d = domainXmlToJson(await virsh('dumpxml', '--inactive', name));
        await virsh('undefine', name);
        defined.delete(name);
        expect(d.name).toEqual({ text: name });
        expect(Array.isArray((d.devices as JsonObject).disk)).toBe(true);
        expect(((d.devices as JsonObject).disk as unknown[]).length).toBe(p.disks.length + (p.cdrom ? 1 : 0));
      }),
      { numRuns: Number(process.env.KS_XML_PROPERTY_RUNS ?? 25) },
    );
  });
});
