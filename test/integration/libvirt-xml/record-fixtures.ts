/**
 * One-off recorder of the golden XML fixtures (test/fixtures/xml/*.xml) from the real libvirtd:
 *   npx tsx test/integration/libvirt-xml/record-fixtures.ts
 * Defines the fixture domains built by our builder, dumps their inactive and live XML and a
 * snapshot's XML, then removes everything. Volatile values (tap names, ports, the snapshot's
 * creation time) are whatever libvirtd produced; the golden JSON is made from these files.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { testbedEnv } from '../testbed-env.js';
import { buildDomainXml, pcSpec, q35Spec, snapshotSpec } from './fixture-domains.js';
import { defineXml, imageDir, qemuImgCreate, removeDomain, virsh } from './virsh.js';

const out = fileURLToPath(new URL('../../fixtures/xml/', import.meta.url));
const env = testbedEnv();

async function main(): Promise<void> {
  const { dir, cleanup } = await imageDir('ks-xml-rec-');
  const images = { system: `${dir}/system.qcow2`, data: `${dir}/data.raw`, iso: `${dir}/install.iso` };
  await qemuImgCreate(images.system, 'qcow2');
  await qemuImgCreate(images.data, 'raw');
  await qemuImgCreate(images.iso, 'raw', '1M');
  const names = ['ks-xml-rec-q35', 'ks-xml-rec-pc', 'ks-xml-rec-snap'];
  try {
    // q35: inactive and live (OS-less: it runs its firmware only).
    await defineXml(
      dir,
      buildDomainXml(q35Spec('ks-xml-rec-q35', images, env.testBridge, { nodeVirtType: env.virtType })),
    );
    await writeFile(`${out}/q35-inactive.xml`, await virsh('dumpxml', '--inactive', 'ks-xml-rec-q35'));
    await virsh('start', 'ks-xml-rec-q35');
    await writeFile(`${out}/q35-live.xml`, await virsh('dumpxml', 'ks-xml-rec-q35'));
    await virsh('destroy', 'ks-xml-rec-q35');

    await defineXml(dir, buildDomainXml(pcSpec('ks-xml-rec-pc', images, 'br-int')), 'pc.xml');
    await writeFile(`${out}/pc-inactive.xml`, await virsh('dumpxml', '--inactive', 'ks-xml-rec-pc'));

    await qemuImgCreate(`${dir}/snap.qcow2`, 'qcow2');
    await defineXml(dir, buildDomainXml(snapshotSpec('ks-xml-rec-snap', `${dir}/snap.qcow2`)), 'snap.xml');
    await virsh('snapshot-create-as', 'ks-xml-rec-snap', 'snap1', '--description', 'golden fixture');
    await writeFile(`${out}/snapshot.xml`, await virsh('snapshot-dumpxml', 'ks-xml-rec-snap', 'snap1'));
    await virsh('snapshot-delete', 'ks-xml-rec-snap', 'snap1');
  } finally {
    for (const name of names) await removeDomain(name);
    await cleanup();
  }
}

await main();
