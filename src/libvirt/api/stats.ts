/**
 * Statistics and guest information for the reporters, plus guest-agent helpers, detach by alias,
 * rename and backups.
 */
import { procedures as P } from '../procedures/index.js';
import type { DomainRef, TypedParam } from '../procedures/types.js';
import { StorageApi } from './storage.js';

/** virDomainMemoryStatTags by value (tag → name in domainMemoryStats' result). */
export const MEMORY_STAT_TAGS = [
  'swap_in',
  'swap_out',
  'major_fault',
  'minor_fault',
  'unused',
  'available',
  'actual',
  'rss',
  'usable',
  'last_update',
  'disk_caches',
  'hugetlb_pgalloc',
  'hugetlb_pgfail',
] as const;

export interface DomainInterface {
  name: string;
  hwaddr: string | null;
  /** type: 0 IPv4, 1 IPv6 */
  addrs: { type: number; addr: string; prefix: number }[];
}

export interface DomainStatsRecord {
  dom: DomainRef;
  stats: Record<string, number | boolean | string>;
}

/** VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_*. */
export const InterfaceAddressesSource = { LEASE: 0, AGENT: 1, ARP: 2 } as const;

export class StatsApi extends StorageApi {
  /** Balloon/memory statistics by name (KiB, or counts), e.g. `{actual, rss, available}`. */
  async domainMemoryStats(dom: DomainRef, flags = 0): Promise<Record<string, number>> {
    const stats = await this.call(P.domainMemoryStats, { dom, maxStats: 16, flags });
    const out: Record<string, number> = {};
    for (const s of stats) out[MEMORY_STAT_TAGS[s.tag] ?? `tag${s.tag}`] = s.val;
    return out;
  }

  /** Sizes in bytes of a disk (target name such as vda, or its source path). */
  domainGetBlockInfo(
    dom: DomainRef,
    disk: string,
    flags = 0,
  ): Promise<{ allocation: number; capacity: number; physical: number }> {
    return this.call(P.domainGetBlockInfo, { dom, path: disk, flags });
  }

  /** Host CPU time counters in ns (`cpuNum` -1 = all CPUs): kernel, user, idle, iowait. */
  async nodeGetCPUStats(cpuNum = -1, flags = 0): Promise<Record<string, number>> {
    const { nparams } = await this.call(P.nodeGetCPUStats, { cpuNum, nparams: 0, flags });
    const { params } = await this.call(P.nodeGetCPUStats, { cpuNum, nparams, flags });
    return Object.fromEntries(params.map((p) => [p.field, p.value]));
  }

  /** Host memory counters in KiB (`cellNum` -1 = whole host): total, free, buffers, cached. */
  async nodeGetMemoryStats(cellNum = -1, flags = 0): Promise<Record<string, number>> {
    const { nparams } = await this.call(P.nodeGetMemoryStats, { nparams: 0, cellNum, flags });
    const { params } = await this.call(P.nodeGetMemoryStats, { nparams, cellNum, flags });
    return Object.fromEntries(params.map((p) => [p.field, p.value]));
  }

  /**
   * Bulk statistics (virConnectGetAllDomainStats / virDomainListGetStats): `stats` is a mask of
   * VIR_DOMAIN_STATS_* groups (0 = all), for `doms` or, when empty, every domain matching `flags`.
   */
  async connectGetAllDomainStats(doms: DomainRef[] = [], stats = 0, flags = 0): Promise<DomainStatsRecord[]> {
    const records = await this.call(P.connectGetAllDomainStats, { doms, stats, flags });
    return records.map((r) => ({
      dom: r.dom,
      stats: Object.fromEntries(r.params.map((p) => [p.field, p.value])),
    }));
  }

  domainInterfaceAddresses(dom: DomainRef, source = 0, flags = 0): Promise<DomainInterface[]> {
    return this.call(P.domainInterfaceAddresses, { dom, source, flags });
  }

  /** Freezes guest filesystems through the agent (all when `mountpoints` is empty). */
  domainFSFreeze(dom: DomainRef, mountpoints: string[] = [], flags = 0): Promise<number> {
    return this.call(P.domainFSFreeze, { dom, mountpoints, flags });
  }

  domainFSThaw(dom: DomainRef, mountpoints: string[] = [], flags = 0): Promise<number> {
    return this.call(P.domainFSThaw, { dom, mountpoints, flags });
  }

  domainAuthorizedSSHKeysGet(dom: DomainRef, user: string, flags = 0): Promise<string[]> {
    return this.call(P.domainAuthorizedSSHKeysGet, { dom, user, flags });
  }

  /** Flags: 1 APPEND, 2 REMOVE (VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_*); default replaces all keys. */
  domainAuthorizedSSHKeysSet(dom: DomainRef, user: string, keys: string[], flags = 0): Promise<void> {
    return this.call(P.domainAuthorizedSSHKeysSet, { dom, user, keys, flags });
  }

  domainGetGuestInfo(dom: DomainRef, types = 0, flags = 0): Promise<TypedParam[]> {
    return this.call(P.domainGetGuestInfo, { dom, types, flags });
  }

  /** Detaches a device by its alias (e.g. `ua-disk1`, `virtio-disk1`). */
  domainDetachDeviceAlias(dom: DomainRef, alias: string, flags = 0): Promise<void> {
    return this.call(P.domainDetachDeviceAlias, { dom, alias, flags });
  }

  /** Renames an inactive domain; returns it under the new name. */
  async domainRename(dom: DomainRef, newName: string, flags = 0): Promise<DomainRef> {
    await this.call(P.domainRename, { dom, new_name: newName, flags });
    return { ...dom, name: newName };
  }

  domainBackupBegin(
    dom: DomainRef,
    backupXml: string,
    checkpointXml: string | null = null,
    flags = 0,
  ): Promise<void> {
    return this.call(P.domainBackupBegin, {
      dom,
      backup_xml: backupXml,
      checkpoint_xml: checkpointXml,
      flags,
    });
  }

  domainBackupGetXMLDesc(dom: DomainRef, flags = 0): Promise<string> {
    return this.call(P.domainBackupGetXMLDesc, { dom, flags });
  }
}
