/**
 * The composition root of `Services`: every host client the handlers may call is built here, once.
 * Adding a client (libvirt, OVSDB, storage) is one line in `buildServices` and one in `closeServices`.
 */
import { existsSync } from 'node:fs';
import type { Services } from '../executors/services.js';
import { libvirtOnlineSnapshots } from '../executors/storage-online.js';
import { libvirtDomainUse } from '../executors/virtual-machine/domain-use.js';
import { LibvirtClient } from '../libvirt/index.js';
import { connectNetworkServices } from '../ovn/index.js';
import { StorageEngine } from '../storage/index.js';
import type { AgentConfig } from './config.js';

export async function buildServices(
  cfg: Pick<AgentConfig, 'libvirtSocket' | 'ovnNb' | 'ovsDb'>,
): Promise<Services> {
  const libvirt = await LibvirtClient.connect({ socketPath: cfg.libvirtSocket });
  const net = await connectNetworkServices({ nbRemote: cfg.ovnNb, ovsRemote: cfg.ovsDb });
  // Which domains use a disk file: asked of libvirt itself (works in a container too).
  const storage = new StorageEngine({
    domainUse: libvirtDomainUse(libvirt),
    online: libvirtOnlineSnapshots(libvirt),
  });
  await storage.recover();
  await storage.autostartPools();
  const virtType = process.env.KUBESTACK_VIRT_TYPE === 'qemu' || !existsSync('/dev/kvm') ? 'qemu' : 'kvm';
  const services: Services = { virtType, libvirt, storage, ovnNb: net.ovnNb, ovs: net.ovs };
  closers.set(services, net.close);
  return services;
}

/** Connections that Services exposes only as views, closed with it. */
const closers = new WeakMap<Services, () => Promise<void>>();

export async function closeServices(s: Services): Promise<void> {
  await closers.get(s)?.();
  await s.libvirt?.close();
}
