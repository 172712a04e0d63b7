import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DomainBlockCommitFlags,
  DomainBlockCopyFlags,
  DomainBlockJobAbortFlags,
  type DomainEvent,
  type DomainRef,
  DomainSnapshotCreateFlags,
  type LibvirtClient,
  LibvirtError,
  type StoragePoolRef,
} from '../../../src/libvirt/index.js';
import { connectClient, domainXml, removeDomain, uniqueName, waitFor, waitUntil } from './helpers.js';

const READY = 3;
const COMPLETED = 0;
const CANCELED = 2;

describe('libvirt client: snapshots and block jobs (real libvirtd)', () => {
  let c: LibvirtClient;
  const name = uniqueName('snap');
  const poolName = uniqueName('snappool');
  const dir = `/var/lib/libvirt/${uniqueName('test')}`;
  let pool: StoragePoolRef;
  let dom: DomainRef;
  const events: DomainEvent[] = [];
  const jobEvents = (status: number, type?: number) => (e: DomainEvent) =>
    e.kind === 'block-job-2' && e.status === status && (type === undefined || e.type === type);

  beforeAll(async () => {
    c = await connectClient();
    c.on('event', (e) => {
      if (e.domain.name === name) events.push(e);
    });
    await c.subscribeDomainEvents(['block-job', 'block-job-2', 'lifecycle']);
    pool = await c.storagePoolCreateXML(
      `<pool type='dir'><name>${poolName}</name><target><path>${dir}</path></target></pool>`,
      1 /* build */,
    );
    await c.storageVolCreateXML(
      pool,
      `<volume><name>vda.qcow2</name><capacity unit='MiB'>16</capacity><target><format type='qcow2'/></target></volume>`,
    );
    const disk = `<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>
      <source file='${dir}/vda.qcow2'/><target dev='vda' bus='virtio'/></disk>`;
    dom = await c.domainDefineXMLFlags(domainXml(name, { devices: disk }));
  });
  afterAll(async () => {
    await removeDomain(c, name);
    await c.storagePoolDestroy(pool).catch(() => undefined);
    await c.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('creates, lists, finds, reads, reverts to and deletes snapshots', async () => {
    const s1 = await c.domainSnapshotCreateXML(dom, '<domainsnapshot><name>s1</name></domainsnapshot>');
    expect(s1).toEqual({ name: 's1', dom });
    const s2 = await c.domainSnapshotCreateXML(dom, '<domainsnapshot><name>s2</name></domainsnapshot>');
    expect((await c.domainListAllSnapshots(dom)).map((s) => s.name).sort()).toEqual(['s1', 's2']);
    expect(await c.domainHasCurrentSnapshot(dom)).toBe(true);
    expect((await c.domainSnapshotCurrent(dom)).name).toBe('s2');
    expect(await c.domainSnapshotLookupByName(dom, 's1')).toEqual(s1);
    const xml = await c.domainSnapshotGetXMLDesc(s1);
    expect(xml).toContain('<name>s1</name>');
    expect(xml).toContain('<state>shutoff</state>');

    await c.domainRevertToSnapshot(s1);
    expect((await c.domainSnapshotCurrent(dom)).name).toBe('s1');

    await c.domainSnapshotDelete(s2);
    await c.domainSnapshotDelete(s1);
    expect(await c.domainListAllSnapshots(dom)).toEqual([]);
    const none = (await c.domainSnapshotCurrent(dom).catch((e: unknown) => e)) as LibvirtError;
    expect(none).toBeInstanceOf(LibvirtError);
    expect(none.isNoSnapshot).toBe(true);
    expect(none.reason).toBe('NotFound');
  });

  it('pull and copy block jobs: info while running, events, abort', async () => {
    dom = await c.domainCreateWithFlags(dom);
    expect(await c.domainGetBlockJobInfo(dom, 'vda')).toBeNull();

    await c.domainBlockPull(dom, 'vda'); // no backing file: completes at once
    await waitFor(events, jobEvents(COMPLETED, 1));
    // The older block-job event names the disk by its path instead of its target.
    const old = await waitFor(events, (e) => e.kind === 'block-job' && e.status === COMPLETED);
    expect(old.kind === 'block-job' && old.disk).toBe(`${dir}/vda.qcow2`);

    const dest = `<disk type='file'><driver type='qcow2'/><source file='${dir}/copy.qcow2'/></disk>`;
    await c.domainBlockCopy(dom, 'vda', dest, [], DomainBlockCopyFlags.TRANSIENT_JOB);
    await waitFor(events, jobEvents(READY, 2));
    const info = await c.domainGetBlockJobInfo(dom, 'vda');
    expect(info).toMatchObject({ typeName: 'copy' });
    expect(info?.cur).toBe(info?.end);
    await c.domainBlockJobAbort(dom, 'vda');
    await waitFor(events, jobEvents(CANCELED, 2));
    expect(await c.domainGetBlockJobInfo(dom, 'vda')).toBeNull();
  });

  it('active commit after an external disk-only snapshot, pivoted; then a rebase', async () => {
    const snapXml = `<domainsnapshot><name>ext</name><disks><disk name='vda' snapshot='external'>
      <source file='${dir}/overlay.qcow2'/></disk></disks></domainsnapshot>`;
    await c.domainSnapshotCreateXML(
      dom,
      snapXml,
      DomainSnapshotCreateFlags.DISK_ONLY | DomainSnapshotCreateFlags.NO_METADATA,
    );
    expect(await c.domainGetXMLDesc(dom)).toContain(`${dir}/overlay.qcow2`);

    await c.domainBlockCommit(dom, 'vda', null, null, 0, DomainBlockCommitFlags.ACTIVE);
    await waitFor(events, jobEvents(READY, 4));
    await c.domainBlockJobAbort(dom, 'vda', DomainBlockJobAbortFlags.PIVOT);
    await waitFor(events, jobEvents(COMPLETED, 4));
    expect(await c.domainGetXMLDesc(dom)).not.toContain('overlay.qcow2');

    const pulls = () => events.filter(jobEvents(COMPLETED, 1)).length;
    const before = pulls();
    await c.domainBlockRebase(dom, 'vda', null); // no base: a pull into the active layer
    await waitUntil(() => pulls() > before);
  });
});
