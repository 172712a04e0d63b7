/**
 * The storage engine's online paths (OnlineSnapshotPort) over the libvirt RPC client: while a
 * domain runs, QEMU owns the disk chain, so snapshots, commits and pulls are asked of libvirt and
 * never done with qemu-img. Block jobs are followed by polling their progress (cheap: one RPC per
 * 50 ms) with a bounded wait; an active commit is pivoted once it reaches the ready state.
 */
import { TimeoutError } from '../errors.js';
import {
  DomainBlockCommitFlags,
  DomainBlockJobAbortFlags,
  DomainSnapshotCreateFlags,
  type LibvirtClient,
} from '../libvirt/index.js';
import { domainXmlToJson, type JsonObject } from '../libvirt/xml-json.js';
import type { BlockJobInfo, OnlineSnapshotPort } from '../storage/index.js';
import { sleep } from '../timing.js';
import { escapeXmlAttr } from '../xml-text.js';

const POLL_MS = 50;
const JOB_TIMEOUT_MS = 10 * 60_000;

interface DiskEntry {
  target: string;
  file: string | undefined;
}

function disksOf(xml: string): DiskEntry[] {
  const devices = (domainXmlToJson(xml).devices ?? {}) as JsonObject;
  const disks = (Array.isArray(devices.disk) ? devices.disk : []) as JsonObject[];
  return disks.map((d) => ({
    target: String((d.target as JsonObject | undefined)?._dev ?? ''),
    file: (d.source as JsonObject | undefined)?._file as string | undefined,
  }));
}

/** Snapshot XML that snapshots one disk externally into `overlay` and leaves every other disk alone. */
export function diskOnlySnapshotXml(
  domainXml: string,
  diskPath: string,
  overlay: string,
  name: string,
): string {
  const disks = disksOf(domainXml)
    .map((d) =>
      d.file === diskPath
        ? `<disk name='${escapeXmlAttr(d.target)}' snapshot='external'><driver type='qcow2'/><source file='${escapeXmlAttr(overlay)}'/></disk>`
        : `<disk name='${escapeXmlAttr(d.target)}' snapshot='no'/>`,
    )
    .join('');
  return `<domainsnapshot><name>${escapeXmlAttr(name)}</name><disks>${disks}</disks></domainsnapshot>`;
}

export function libvirtOnlineSnapshots(lv: LibvirtClient): OnlineSnapshotPort {
  async function job(domain: string, disk: string): Promise<BlockJobInfo | undefined> {
    const dom = await lv.domainLookupByName(domain);
    const info = await lv.domainGetBlockJobInfo(dom, disk);
    if (!info) return undefined;
    const type = ({ pull: 'pull', commit: 'commit', 'active-commit': 'activeCommit', copy: 'copy' } as const)[
      info.typeName as 'pull' | 'commit' | 'active-commit' | 'copy'
    ];
    return { type: type ?? 'unknown', cur: info.cur, end: info.end };
  }

  /** Waits until `done(job)` holds; a job that vanished counts as finished. */
  async function waitJob(domain: string, disk: string, done: (j: BlockJobInfo | undefined) => boolean) {
    const deadline = Date.now() + JOB_TIMEOUT_MS;
    for (;;) {
      if (done(await job(domain, disk))) return;
      if (Date.now() > deadline) throw new TimeoutError(`block job on ${disk} of ${domain} did not finish`);
      await sleep(POLL_MS);
    }
  }

  return {
    async diskOnlySnapshot(domain, diskPath, overlayPath) {
      const dom = await lv.domainLookupByName(domain);
      const xml = diskOnlySnapshotXml(
        await lv.domainGetXMLDesc(dom, 0),
        diskPath,
        overlayPath,
        `ks-${Date.now().toString(36)}`,
      );
      const F = DomainSnapshotCreateFlags;
      await lv.domainSnapshotCreateXML(dom, xml, F.DISK_ONLY | F.ATOMIC | F.NO_METADATA);
    },

    async blockCommit(domain, diskPath, top, base) {
      const dom = await lv.domainLookupByName(domain);
      const active = top === diskPath;
      const flags = active ? DomainBlockCommitFlags.ACTIVE : 0;
      // A commit of a run killed mid-way goes on in QEMU (an active one waits for its pivot): a
      // second one would be refused, so that one is followed to its end instead.
      const left = await job(domain, diskPath);
      if (left?.type !== (active ? 'activeCommit' : 'commit')) {
        await lv.domainBlockCommit(dom, diskPath, base, top, 0, flags);
      }
      if (!active) return waitJob(domain, diskPath, (j) => j === undefined);
      // An active commit never ends by itself: once it mirrors (cur === end) we pivot onto `base`.
      await waitJob(domain, diskPath, (j) => j === undefined || (j.end > 0 && j.cur === j.end));
      await lv.domainBlockJobAbort(dom, base, DomainBlockJobAbortFlags.PIVOT).catch(async () => {
        // The job names the disk by its old path until the pivot; retry with that name.
        await lv.domainBlockJobAbort(dom, diskPath, DomainBlockJobAbortFlags.PIVOT);
      });
      await waitJob(domain, base, (j) => j === undefined);
    },

    async blockPull(domain, diskPath, base) {
      const dom = await lv.domainLookupByName(domain);
      if (base === undefined) await lv.domainBlockPull(dom, diskPath, 0, 0);
      else await lv.domainBlockRebase(dom, diskPath, base, 0, 0);
      await waitJob(domain, diskPath, (j) => j === undefined);
    },

    blockJobInfo: job,

    async blockResize(domain, diskPath, bytes) {
      const dom = await lv.domainLookupByName(domain);
      // flags 1 = VIR_DOMAIN_BLOCK_RESIZE_BYTES: the size is in bytes, not KiB.
      await lv.domainBlockResize(dom, diskPath, bytes, 1);
    },
  };
}
