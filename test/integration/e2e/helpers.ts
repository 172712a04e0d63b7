/**
 * Shared set-up of the end-to-end tests: real Services (a libvirt client on the test bed's
 * libvirtd, a storage engine with its own state directory, wired to libvirt as the agent wires it), a realistic OperationContext built
 * from an object in the Java SDK's shape, unique `kse2e-…` names, and cleanup of everything.
 * OVN/OVS are not used by these operations (bridge NICs only) and are left out of Services.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { pino } from 'pino';
import type { Services } from '../../../src/executors/services.js';
import { libvirtOnlineSnapshots } from '../../../src/executors/storage-online.js';
import type { OperationContext, OperationOutcome, OperationSpec } from '../../../src/executors/types.js';
import { validateParams } from '../../../src/executors/validate.js';
import { libvirtDomainUse } from '../../../src/executors/virtual-machine/domain-use.js';
import type { KindName, KubeObject } from '../../../src/kinds.js';
import { LibvirtClient } from '../../../src/libvirt/index.js';
import { StorageEngine } from '../../../src/storage/index.js';
import { testbedEnv } from '../testbed-env.js';

export const env = testbedEnv();
export const quietLog = pino({ level: process.env.KS_TEST_LOG ?? 'silent' });
export const GiB = 1024 * 1024 * 1024;

export function unique(what: string): string {
  return `kse2e-${what}-${randomBytes(3).toString('hex')}`;
}

export interface E2E {
  services: Services;
  libvirt: LibvirtClient;
  storage: StorageEngine;
  /** A scratch directory under /var/lib/libvirt (an allowed root), removed at the end. */
  root: string;
  close(): Promise<void>;
}

export async function e2eServices(
  o: { vmStopTimeoutMs?: number; unplugTimeoutMs?: number } = {},
): Promise<E2E> {
  const root = `/var/lib/libvirt/${unique('root')}`;
  await mkdir(root, { recursive: true });
  const libvirt = await LibvirtClient.connect({ socketPath: env.libvirtSocket, log: quietLog });
  const storage = new StorageEngine({
    stateDir: join(root, 'state'),
    domainUse: libvirtDomainUse(libvirt),
    online: libvirtOnlineSnapshots(libvirt),
    log: quietLog,
  });
  const services = {
    virtType: env.virtType,
    libvirt,
    storage,
    ...o,
  } as unknown as Services;
  return {
    services,
    libvirt,
    storage,
    root,
    async close() {
      await libvirt.close();
      // pools made through the operations have a libvirt mirror on a directory here
      await removeLibvirtPoolsUnder(root);
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** An object as the Java SDK writes it: labels host + event id, spec.nodeName, spec.lifecycle. */
export function sdkObject(
  kind: KindName,
  name: string,
  op: string,
  params: Record<string, unknown>,
): KubeObject {
  return {
    apiVersion: 'doslab.io/v1',
    kind,
    metadata: {
      name,
      namespace: 'default',
      labels: {
        host: env.nodeName,
        'kubestack.label.event.id': `${op}.event.${randomBytes(3).toString('hex')}`,
      },
    },
    spec: { nodeName: env.nodeName, lifecycle: { [op]: params } },
  };
}

export function contextFor(
  kind: KindName,
  name: string,
  services: Services,
  object?: KubeObject,
): OperationContext {
  return {
    kind,
    name,
    namespace: 'default',
    nodeName: env.nodeName,
    object,
    log: quietLog,
    signal: new AbortController().signal,
    services,
  };
}

/** Runs an operation as the agent does: parameters validated from the raw lifecycle value first. */
export async function runOp(
  op: OperationSpec,
  services: Services,
  name: string,
  raw: Record<string, unknown>,
): Promise<OperationOutcome> {
  const obj = sdkObject(op.kind, name, op.name, raw);
  const params = validateParams(op, raw);
  return op.handler(contextFor(op.kind, name, services, obj), params as never);
}

export async function virsh(...args: string[]): Promise<string> {
  return (await execa('virsh', ['-c', 'qemu:///system', ...args])).stdout.trim();
}

/** The libvirt storage pool mirroring one of ours, as virsh shows it (absent: undefined). */
export async function libvirtPool(
  name: string,
): Promise<{ state: string; autostart: string; target: string } | undefined> {
  const info = await virsh('pool-info', name).catch(() => undefined);
  if (info === undefined) return undefined;
  const field = (k: string) => new RegExp(`^${k}:\\s*(.*)$`, 'm').exec(info)?.[1]?.trim() ?? '';
  const xml = await virsh('pool-dumpxml', name);
  return {
    state: field('State'),
    autostart: field('Autostart'),
    target: /<path>([^<]*)<\/path>/.exec(xml)?.[1] ?? '',
  };
}

/** Stops and undefines every libvirt storage pool on a directory under `root`; never throws. */
export async function removeLibvirtPoolsUnder(root: string): Promise<void> {
  const names = (await virsh('pool-list', '--all', '--name').catch(() => '')).split('\n').filter(Boolean);
  for (const name of names) {
    const xml = await virsh('pool-dumpxml', name).catch(() => '');
    if (!xml.includes(`<path>${root}/`)) continue;
    await virsh('pool-destroy', name).catch(() => undefined);
    await virsh('pool-undefine', name).catch(() => undefined);
  }
}

export async function domstate(name: string): Promise<string> {
  return virsh('domstate', name).catch(() => 'absent');
}

/** Destroys and undefines a domain if it exists; never throws. */
export async function removeDomain(name: string): Promise<void> {
  await virsh('destroy', name).catch(() => undefined);
  await virsh('undefine', name, '--nvram', '--managed-save', '--snapshots-metadata').catch(() => undefined);
}

/** The documented CreateAndStartVMFromISO parameters for a disk-backed VM booting an ISO. */
export function vmParams(disk: string, iso: string): Record<string, unknown> {
  return {
    metadata: `uuid=${crypto.randomUUID()}`,
    graphics: 'vnc,listen=0.0.0.0',
    disk: `${disk},format=qcow2 --disk ${iso},device=cdrom,perms=ro`,
    memory: '128',
    network: `type=bridge,source=${env.testBridge}`,
    virt_type: env.virtType,
    os_variant: 'centos7.0',
    vcpus: '1',
    noautoconsole: true,
  };
}
