/** Domain snapshots and block jobs (commit, pull, rebase/copy, info, abort). */
import { DomainBlockJobType } from '../constants.js';
import { procedures as P } from '../procedures/index.js';
import type { DomainRef, SnapshotRef, TypedParam } from '../procedures/types.js';
import { DomainConfigApi } from './domain-config.js';

export interface BlockJobInfo {
  type: number;
  typeName: string;
  /** bytes/s, or MiB/s unless the job was started with a BANDWIDTH_BYTES flag */
  bandwidth: number;
  cur: number;
  end: number;
}

export class SnapshotApi extends DomainConfigApi {
  domainSnapshotCreateXML(dom: DomainRef, xml: string, flags = 0): Promise<SnapshotRef> {
    return this.call(P.domainSnapshotCreateXML, { dom, xml_desc: xml, flags });
  }

  async domainListAllSnapshots(dom: DomainRef, flags = 0): Promise<SnapshotRef[]> {
    return (await this.call(P.domainListAllSnapshots, { dom, need_results: 1, flags })).snapshots;
  }

  domainSnapshotLookupByName(dom: DomainRef, name: string, flags = 0): Promise<SnapshotRef> {
    return this.call(P.domainSnapshotLookupByName, { dom, name, flags });
  }

  async domainHasCurrentSnapshot(dom: DomainRef, flags = 0): Promise<boolean> {
    return (await this.call(P.domainHasCurrentSnapshot, { dom, flags })) === 1;
  }

  /** The current snapshot; fails with NO_DOMAIN_SNAPSHOT when there is none. */
  domainSnapshotCurrent(dom: DomainRef, flags = 0): Promise<SnapshotRef> {
    return this.call(P.domainSnapshotCurrent, { dom, flags });
  }

  domainRevertToSnapshot(snap: SnapshotRef, flags = 0): Promise<void> {
    return this.call(P.domainRevertToSnapshot, { snap, flags });
  }

  domainSnapshotDelete(snap: SnapshotRef, flags = 0): Promise<void> {
    return this.call(P.domainSnapshotDelete, { snap, flags });
  }

  domainSnapshotGetXMLDesc(snap: SnapshotRef, flags = 0): Promise<string> {
    return this.call(P.domainSnapshotGetXMLDesc, { snap, flags });
  }

  domainBlockCommit(
    dom: DomainRef,
    disk: string,
    base: string | null,
    top: string | null,
    bandwidth = 0,
    flags = 0,
  ): Promise<void> {
    return this.call(P.domainBlockCommit, { dom, disk, base, top, bandwidth, flags });
  }

  domainBlockPull(dom: DomainRef, disk: string, bandwidth = 0, flags = 0): Promise<void> {
    return this.call(P.domainBlockPull, { dom, path: disk, bandwidth, flags });
  }

  domainBlockRebase(
    dom: DomainRef,
    disk: string,
    base: string | null,
    bandwidth = 0,
    flags = 0,
  ): Promise<void> {
    return this.call(P.domainBlockRebase, { dom, path: disk, base, bandwidth, flags });
  }

  domainBlockCopy(
    dom: DomainRef,
    disk: string,
    destXml: string,
    params: TypedParam[] = [],
    flags = 0,
  ): Promise<void> {
    return this.call(P.domainBlockCopy, { dom, path: disk, destxml: destXml, params, flags });
  }

  /** The block job on `disk`, or null when there is none. */
  async domainGetBlockJobInfo(dom: DomainRef, disk: string, flags = 0): Promise<BlockJobInfo | null> {
    const r = await this.call(P.domainGetBlockJobInfo, { dom, path: disk, flags });
    if (r.found !== 1) return null;
    return {
      type: r.type,
      typeName: DomainBlockJobType[r.type] ?? 'unknown',
      bandwidth: r.bandwidth,
      cur: r.cur,
      end: r.end,
    };
  }

  domainBlockJobAbort(dom: DomainRef, disk: string, flags = 0): Promise<void> {
    return this.call(P.domainBlockJobAbort, { dom, path: disk, flags });
  }

  domainBlockJobSetSpeed(dom: DomainRef, disk: string, bandwidth: number, flags = 0): Promise<void> {
    return this.call(P.domainBlockJobSetSpeed, { dom, path: disk, bandwidth, flags });
  }
}
