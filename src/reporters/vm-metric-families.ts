/**
 * The per-VM metric families, named as KubeVirt's `kubevirt_vmi_*` (base units, `_total` for
 * counters), each read from one field of libvirt's bulk statistics (virConnectGetAllDomainStats).
 * `scope` says where the field sits: on the domain (`cpu.time`), or per device/vCPU
 * (`net.<i>.rx.bytes`, `block.<i>.rd.bytes`, `vcpu.<i>.time`).
 */

export type FamilyScope = 'domain' | 'net' | 'block' | 'vcpu';

export interface VmMetricFamily {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  scope: FamilyScope;
  /** The stats field (domain scope) or its suffix after `<scope>.<i>.`. */
  field: string;
  /** Multiplier to the base unit: ns → s (1e-9), KiB → bytes (1024). */
  scale: number;
}

const NS = 1e-9;
const KIB = 1024;

const f = (
  name: string,
  type: VmMetricFamily['type'],
  scope: FamilyScope,
  field: string,
  scale: number,
  help: string,
): VmMetricFamily => ({ name: `kubevirt_vmi_${name}`, type, scope, field, scale, help });

export const VM_METRIC_FAMILIES: readonly VmMetricFamily[] = [
  f(
    'cpu_usage_seconds_total',
    'counter',
    'domain',
    'cpu.time',
    NS,
    'CPU time the VM used (all vCPUs and QEMU).',
  ),
  f(
    'cpu_user_usage_seconds_total',
    'counter',
    'domain',
    'cpu.user',
    NS,
    'CPU time the VM used in user mode.',
  ),
  f('cpu_system_usage_seconds_total', 'counter', 'domain', 'cpu.system', NS, 'CPU time in kernel mode.'),
  f('vcpu_seconds_total', 'counter', 'vcpu', 'time', NS, 'Time each vCPU ran, by id and current state.'),
  f('vcpu_wait_seconds_total', 'counter', 'vcpu', 'wait', NS, 'Time each vCPU waited for I/O.'),
  f('vcpu_delay_seconds_total', 'counter', 'vcpu', 'delay', NS, 'Time each vCPU was runnable, not run.'),
  f('memory_domain_bytes', 'gauge', 'domain', 'balloon.maximum', KIB, 'Memory the domain is defined with.'),
  f('memory_actual_balloon_bytes', 'gauge', 'domain', 'balloon.current', KIB, 'Memory the balloon gives.'),
  f('memory_available_bytes', 'gauge', 'domain', 'balloon.available', KIB, 'Memory the guest sees.'),
  f('memory_usable_bytes', 'gauge', 'domain', 'balloon.usable', KIB, 'Memory the guest can use.'),
  f('memory_unused_bytes', 'gauge', 'domain', 'balloon.unused', KIB, 'Memory the guest leaves unused.'),
  f('memory_cached_bytes', 'gauge', 'domain', 'balloon.disk_caches', KIB, 'Guest page cache.'),
  f('memory_resident_bytes', 'gauge', 'domain', 'balloon.rss', KIB, 'Resident set of the QEMU process.'),
  f('memory_swap_in_traffic_bytes', 'gauge', 'domain', 'balloon.swap_in', KIB, 'Memory swapped in.'),
  f('memory_swap_out_traffic_bytes', 'gauge', 'domain', 'balloon.swap_out', KIB, 'Memory swapped out.'),
  f('memory_pgmajfault_total', 'counter', 'domain', 'balloon.major_fault', 1, 'Major page faults.'),
  f('memory_pgminfault_total', 'counter', 'domain', 'balloon.minor_fault', 1, 'Minor page faults.'),
  f('network_receive_bytes_total', 'counter', 'net', 'rx.bytes', 1, 'Bytes received, by device.'),
  f('network_transmit_bytes_total', 'counter', 'net', 'tx.bytes', 1, 'Bytes sent, by device.'),
  f('network_receive_packets_total', 'counter', 'net', 'rx.pkts', 1, 'Packets received.'),
  f('network_transmit_packets_total', 'counter', 'net', 'tx.pkts', 1, 'Packets sent.'),
  f('network_receive_errors_total', 'counter', 'net', 'rx.errs', 1, 'Receive errors.'),
  f('network_transmit_errors_total', 'counter', 'net', 'tx.errs', 1, 'Transmit errors.'),
  f('network_receive_packets_dropped_total', 'counter', 'net', 'rx.drop', 1, 'Received packets dropped.'),
  f('network_transmit_packets_dropped_total', 'counter', 'net', 'tx.drop', 1, 'Sent packets dropped.'),
  f('storage_read_traffic_bytes_total', 'counter', 'block', 'rd.bytes', 1, 'Bytes read, by device.'),
  f('storage_write_traffic_bytes_total', 'counter', 'block', 'wr.bytes', 1, 'Bytes written, by device.'),
  f('storage_iops_read_total', 'counter', 'block', 'rd.reqs', 1, 'Read requests.'),
  f('storage_iops_write_total', 'counter', 'block', 'wr.reqs', 1, 'Write requests.'),
  f('storage_read_times_seconds_total', 'counter', 'block', 'rd.times', NS, 'Time spent reading.'),
  f('storage_write_times_seconds_total', 'counter', 'block', 'wr.times', NS, 'Time spent writing.'),
  f('storage_flush_requests_total', 'counter', 'block', 'fl.reqs', 1, 'Flush requests.'),
  f('storage_flush_times_seconds_total', 'counter', 'block', 'fl.times', NS, 'Time spent flushing.'),
  f('storage_capacity_bytes', 'gauge', 'block', 'capacity', 1, 'Virtual size of the disk.'),
  f('storage_allocation_bytes', 'gauge', 'block', 'allocation', 1, 'Highest written offset of the disk.'),
];

/** The labels every per-VM series carries, besides the per-scope ones (`device`, `id`/`state`). */
export const VM_LABELS = [
  'vm',
  'namespace',
  'node',
  'owner',
  'router',
  'autoscalinggroup',
  'cluster',
  'zone',
] as const;

/** The VM object labels copied onto the series (VirtMonitor's set). */
export const COPIED_OBJECT_LABELS = ['owner', 'router', 'autoscalinggroup', 'cluster', 'zone'] as const;

/** virVcpuState by value. */
export const VCPU_STATES = ['offline', 'running', 'blocked'] as const;

export function familyLabelNames(scope: FamilyScope): string[] {
  if (scope === 'net' || scope === 'block') return [...VM_LABELS, 'device'];
  if (scope === 'vcpu') return [...VM_LABELS, 'id', 'state'];
  return [...VM_LABELS];
}
