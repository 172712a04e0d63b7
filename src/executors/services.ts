/**
 * What handlers may call on the host, built once by the agent and shared by every operation.
 * Each layer adds its entry here when it lands (libvirt client, OVSDB clients, storage engine).
 */
import type { LibvirtClient } from '../libvirt/client.js';
import type { NbView } from '../ovn/nb.js';
import type { OvsView } from '../ovn/vswitch.js';
import type { StorageEngine } from '../storage/engine.js';

export interface Services {
  /** Virt type to define domains with: `kvm`, or `qemu` (TCG) where KVM cannot run a guest OS. */
  readonly virtType: 'kvm' | 'qemu';
  /** OVN Northbound DB client with its replica (switches, routers, DHCP, ACLs, address sets, …). */
  readonly ovnNb: NbView;
  /** This host's Open_vSwitch DB client with its replica (bridges, ports, interfaces). */
  readonly ovs: OvsView;
  /** The libvirt RPC client (connected; reconnects by itself). */
  readonly libvirt: LibvirtClient;
  /** Pools, disks, snapshots and images on this host. */
  readonly storage: StorageEngine;
  /** How long StopVM waits for the guest to power off after the ACPI request (default 60 s). */
  readonly vmStopTimeoutMs?: number;
  /** How long UnplugDisk waits for the guest to release the device (default 15 s). */
  readonly unplugTimeoutMs?: number;
}
