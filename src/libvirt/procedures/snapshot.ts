/** Domain snapshot and block job procedures of the REMOTE program. */
import { array, int, none, optional, string, struct, uhyper, uint } from '../codec.js';
import { domainRef, field, proc, slow, snapshotRef, typedParam } from './types.js';

const dom = domainRef;
const snap = snapshotRef;

export const snapshotProcedures = {
  domainSnapshotCreateXML: slow(
    proc(
      185,
      'DOMAIN_SNAPSHOT_CREATE_XML',
      struct({ dom, xml_desc: string, flags: uint }),
      field('snap', snapshotRef),
    ),
  ),
  domainSnapshotGetXMLDesc: proc(
    186,
    'DOMAIN_SNAPSHOT_GET_XML_DESC',
    struct({ snap, flags: uint }),
    field('xml', string),
  ),
  domainSnapshotLookupByName: proc(
    189,
    'DOMAIN_SNAPSHOT_LOOKUP_BY_NAME',
    struct({ dom, name: string, flags: uint }),
    field('snap', snapshotRef),
  ),
  domainHasCurrentSnapshot: proc(
    190,
    'DOMAIN_HAS_CURRENT_SNAPSHOT',
    struct({ dom, flags: uint }),
    field('result', int),
  ),
  domainSnapshotCurrent: proc(
    191,
    'DOMAIN_SNAPSHOT_CURRENT',
    struct({ dom, flags: uint }),
    field('snap', snapshotRef),
  ),
  domainRevertToSnapshot: slow(proc(192, 'DOMAIN_REVERT_TO_SNAPSHOT', struct({ snap, flags: uint }), none)),
  domainSnapshotDelete: slow(proc(193, 'DOMAIN_SNAPSHOT_DELETE', struct({ snap, flags: uint }), none)),
  domainListAllSnapshots: proc(
    274,
    'DOMAIN_LIST_ALL_SNAPSHOTS',
    struct({ dom, need_results: int, flags: uint }),
    struct({ snapshots: array(snapshotRef, 16384), ret: int }),
  ),
};

export const blockJobInfo = struct({
  found: int, // 1 when a job exists on the disk, 0 when none
  type: int,
  bandwidth: uhyper,
  cur: uhyper,
  end: uhyper,
});

export const blockJobProcedures = {
  domainBlockJobAbort: proc(237, 'DOMAIN_BLOCK_JOB_ABORT', struct({ dom, path: string, flags: uint }), none),
  domainGetBlockJobInfo: proc(
    238,
    'DOMAIN_GET_BLOCK_JOB_INFO',
    struct({ dom, path: string, flags: uint }),
    blockJobInfo,
  ),
  domainBlockJobSetSpeed: proc(
    239,
    'DOMAIN_BLOCK_JOB_SET_SPEED',
    struct({ dom, path: string, bandwidth: uhyper, flags: uint }),
    none,
  ),
  domainBlockPull: proc(
    240,
    'DOMAIN_BLOCK_PULL',
    struct({ dom, path: string, bandwidth: uhyper, flags: uint }),
    none,
  ),
  domainBlockRebase: proc(
    266,
    'DOMAIN_BLOCK_REBASE',
    struct({ dom, path: string, base: optional(string), bandwidth: uhyper, flags: uint }),
    none,
  ),
  domainBlockCommit: proc(
    290,
    'DOMAIN_BLOCK_COMMIT',
    struct({
      dom,
      disk: string,
      base: optional(string),
      top: optional(string),
      bandwidth: uhyper,
      flags: uint,
    }),
    none,
  ),
  domainBlockCopy: proc(
    345,
    'DOMAIN_BLOCK_COPY',
    struct({ dom, path: string, destxml: string, params: array(typedParam, 16), flags: uint }),
    none,
  ),
};
