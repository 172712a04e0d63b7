/**
 * The eight KubeStack kinds (group doslab.io/v1): names, short names and what each one reports.
 * One source for the CRDs (scripts/gen-crds.ts), the watches and the status writer; the shared
 * vocabulary of every layer (agent, reporters, executors).
 */

export const GROUP = 'doslab.io';
export const VERSION = 'v1';
export const API_VERSION = `${GROUP}/${VERSION}`;

export interface PrinterColumn {
  readonly name: string;
  readonly jsonPath: string;
  readonly type: 'string' | 'integer' | 'date' | 'boolean' | 'number';
  readonly priority?: number;
}

export interface KindInfo {
  readonly kind: KindName;
  readonly plural: string;
  readonly singular: string;
  /** The documented short name first; the uni-virt plural short names after it for old scripts. */
  readonly shortNames: readonly string[];
  /** The `spec` member where this kind's reported state lives (`spec.domain`, `spec.volume`, …). */
  readonly reportField: 'domain' | 'volume' | 'pool' | 'data' | 'domainsnapshot' | 'image';
  readonly columns: readonly PrinterColumn[];
}

export type KindName =
  | 'VirtualMachine'
  | 'VirtualMachineDisk'
  | 'VirtualMachineDiskImage'
  | 'VirtualMachineDiskSnapshot'
  | 'VirtualMachineImage'
  | 'VirtualMachineSnapshot'
  | 'VirtualMachinePool'
  | 'VirtualMachineNetwork';

const HOST: PrinterColumn = { name: 'Host', jsonPath: '.metadata.labels.host', type: 'string' };
const REASON: PrinterColumn = {
  name: 'Status',
  jsonPath: '.spec.status.conditions.state.waiting.reason',
  type: 'string',
};
/** Does the thing exist and work, as observed (not: did the last request succeed). */
const READY: PrinterColumn = {
  name: 'Ready',
  jsonPath: '.status.conditions[?(@.type=="Ready")].status',
  type: 'string',
};
const LAST_OP: PrinterColumn = {
  name: 'Last-Op',
  jsonPath: '.status.lastOperation.name',
  type: 'string',
  priority: 1,
};
const LAST_RESULT: PrinterColumn = {
  name: 'Result',
  jsonPath: '.status.lastOperation.phase',
  type: 'string',
  priority: 1,
};
const AGE: PrinterColumn = { name: 'Age', jsonPath: '.metadata.creationTimestamp', type: 'date' };

function kind(
  k: KindName,
  shortName: string,
  reportField: KindInfo['reportField'],
  extra: readonly PrinterColumn[],
): KindInfo {
  const plural = `${k.toLowerCase()}s`;
  return {
    kind: k,
    plural,
    singular: k.toLowerCase(),
    shortNames: [shortName, `${shortName}s`],
    reportField,
    columns: [HOST, READY, ...extra, REASON, LAST_OP, LAST_RESULT, AGE],
  };
}

export const KINDS: readonly KindInfo[] = [
  kind('VirtualMachine', 'vm', 'domain', [
    { name: 'State', jsonPath: '.spec.powerstate', type: 'string' },
    { name: 'IP', jsonPath: '.spec.domain.devices._interface[*].ip[*]._address', type: 'string' },
    { name: 'VNC', jsonPath: '.spec.domain.devices.graphics[?(@._type=="vnc")]._port', type: 'string' },
    { name: 'CPU', jsonPath: '.spec.domain.vcpu.text', type: 'integer', priority: 1 },
    { name: 'RAM(KiB)', jsonPath: '.spec.domain.currentMemory.text', type: 'integer', priority: 1 },
  ]),
  kind('VirtualMachineDisk', 'vmd', 'volume', [
    { name: 'Pool', jsonPath: '.spec.volume.pool', type: 'string' },
    { name: 'Size', jsonPath: '.spec.volume.capacity', type: 'string' },
    { name: 'Attached-To', jsonPath: '.spec.volume.vm', type: 'string' },
    { name: 'Format', jsonPath: '.spec.volume.format', type: 'string', priority: 1 },
    { name: 'Path', jsonPath: '.spec.volume.current', type: 'string', priority: 1 },
  ]),
  kind('VirtualMachineDiskImage', 'vmdi', 'volume', [
    { name: 'Pool', jsonPath: '.spec.volume.pool', type: 'string' },
    { name: 'Path', jsonPath: '.spec.volume.current', type: 'string', priority: 1 },
  ]),
  kind('VirtualMachineDiskSnapshot', 'vmdsn', 'volume', [
    { name: 'Disk', jsonPath: '.spec.volume.disk', type: 'string' },
    { name: 'Path', jsonPath: '.spec.volume.current', type: 'string', priority: 1 },
  ]),
  kind('VirtualMachineImage', 'vmi', 'image', []),
  kind('VirtualMachineSnapshot', 'vmsn', 'domainsnapshot', [
    { name: 'VM', jsonPath: '.spec.domainsnapshot.domain.name.text', type: 'string' },
  ]),
  kind('VirtualMachinePool', 'vmp', 'pool', [
    { name: 'State', jsonPath: '.spec.pool.state', type: 'string' },
    { name: 'Type', jsonPath: '.spec.pool.type', type: 'string' },
    { name: 'Capacity', jsonPath: '.spec.pool.capacity', type: 'string' },
    { name: 'Free(bytes)', jsonPath: '.spec.pool.free', type: 'integer' },
    { name: 'Content', jsonPath: '.spec.pool.content', type: 'string', priority: 1 },
    { name: 'Path', jsonPath: '.spec.pool.url', type: 'string', priority: 1 },
  ]),
  kind('VirtualMachineNetwork', 'vmn', 'data', [{ name: 'Type', jsonPath: '.spec.type', type: 'string' }]),
];

export function kindInfo(k: KindName): KindInfo {
  const info = KINDS.find((i) => i.kind === k);
  if (!info) throw new Error(`unknown kind ${k}`);
  return info;
}

/** A Kubernetes object of one of our kinds, as read from the apiserver. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    finalizers?: string[];
    deletionTimestamp?: string;
    creationTimestamp?: string;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}
