/**
 * `external_ids` keys marking what the agent owns, so it finds its rows by tag (never by parsing
 * names or `show` text) and never deletes what it did not create.
 */
export const OWNER = 'kubestack/owner';
export const ROLE = 'kubestack/role';
export const SWITCH = 'kubestack/switch';
export const VM = 'kubestack/vm';
export const NIC_MAC = 'kubestack/mac';
export const FIP = 'kubestack/fip';
export const ACL_ID = 'kubestack/acl';
export const QOS_ID = 'kubestack/qos';
/** The CR name an OVN-identifier-safe name (address set, port group) was derived from. */
export const CR_NAME = 'kubestack/name';
/** The user's excludeIPs of a switch, kept to recompute `exclude_ips` when gateway/dhcp change. */
export const USER_EXCLUDES = 'kubestack/exclude-ips';
/** A switch's gateway address (its DHCP `router` option), the next hop of routes into it. */
export const GATEWAY = 'kubestack/gateway';

export type Role =
  | 'switch'
  | 'router'
  | 'router-port'
  | 'router-patch'
  | 'localnet'
  | 'dhcp'
  | 'address-set'
  | 'bridge'
  | 'vlan-bridge'
  | 'uplink'
  | 'nic'
  | 'fip'
  | 'port-group'
  | 'acl'
  | 'qos';

/** The owner value of a network CR: `VirtualMachineNetwork/<name>`. */
export const networkOwner = (name: string): string => `VirtualMachineNetwork/${name}`;
export const vmOwner = (name: string): string => `VirtualMachine/${name}`;

/** Whether a row's external_ids mark it as made by the agent for the VirtualMachineNetwork `name`. */
export const isOwnedBy = (ids: Record<string, string>, name: string): boolean =>
  ids[OWNER] === networkOwner(name);
