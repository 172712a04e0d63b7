/**
 * The reporters: host state → our objects, outside of operations. Today: libvirt domain state →
 * VirtualMachine objects, and which domain uses each VirtualMachineDisk (`spec.volume.vm`) — on
 * every lifecycle event, once at start, and after every reconnect to libvirtd (events are lost
 * while disconnected).
 *
 * Hook for the agent: `startReporters({ client, libvirt, nodeName, log })` after the informers
 * started, `stop()` on shutdown. The only thing a reporter writes is `spec` members of objects
 * labelled host=<nodeName> (see patcher.ts).
 */
import type { KubeClient } from '../agent/kube/client.js';
import { describeDomain } from '../executors/virtual-machine/domains.js';
import type { LibvirtClient } from '../libvirt/index.js';
import { domainXmlToJson } from '../libvirt/xml-json.js';
import type { Logger } from '../log.js';
import { type DomainSource, DomainStateReporter } from './domain-state.js';
import { kubeFieldPatcher, kubeSpecPatcher, type SpecPatcher } from './patcher.js';

export { diskNameOf } from '../lock-names.js';
export { type DomainSource, DomainStateReporter, vmSpecReport } from './domain-state.js';
export {
  type FieldPatcher,
  kubeFieldPatcher,
  kubeSpecPatcher,
  type ObjectRef,
  type SpecPatcher,
} from './patcher.js';

import { errorMessage } from '../errors.js';

export { DomainState, type PowerState, powerStateOf, readyStatus, vmStatus } from './power-state.js';

export function libvirtDomainSource(lv: LibvirtClient): DomainSource {
  return {
    onLifecycle(listener) {
      // Device events too: a disk the guest releases late (after UnplugDisk gave up waiting) or a
      // device plugged by another tool must show in spec.domain.
      const offs = [
        lv.onDomainEvent('lifecycle', (e) => listener(e.domain.name, e.event)),
        lv.onDomainEvent('device-removed', (e) => listener(e.domain.name, 'DeviceRemoved')),
        lv.onDomainEvent('device-added', (e) => listener(e.domain.name, 'DeviceAdded')),
      ];
      return () => {
        for (const off of offs) off();
      };
    },
    describe: (name) => describeDomain(lv, name),
  };
}

export interface ReportersOptions {
  client: KubeClient;
  libvirt: LibvirtClient;
  nodeName: string;
  /** Where VirtualMachine objects live (uni-virt: `default`). */
  namespace?: string;
  log: Logger;
  /** Replaces the apiserver writer (tests). */
  patch?: SpecPatcher;
}

export interface Reporters {
  readonly domains: DomainStateReporter;
  /** Reports every domain of this host now. */
  resync(): Promise<void>;
  stop(): Promise<void>;
}

export function startReporters(o: ReportersOptions): Reporters {
  const log = o.log.child({ component: 'reporter' });
  const domains = new DomainStateReporter({
    source: libvirtDomainSource(o.libvirt),
    patch: o.patch ?? kubeSpecPatcher(o.client, o.nodeName),
    toJson: domainXmlToJson,
    namespace: o.namespace ?? 'default',
    log,
    ...(o.patch ? {} : { diskUsers: kubeFieldPatcher(o.client, o.nodeName) }),
  });
  const resync = async (): Promise<void> => {
    try {
      const all = await o.libvirt.connectListAllDomains(0);
      await Promise.all(all.map((d) => domains.report(d.name)));
    } catch (err) {
      log.warn({ err: errorMessage(err) }, 'domain resync failed');
    }
  };
  const onState = (s: string): void => {
    if (s === 'connected') void resync();
  };
  o.libvirt.on('state', onState);
  domains.start();
  void resync();
  return {
    domains,
    resync,
    async stop() {
      o.libvirt.off('state', onState);
      domains.stop();
      await domains.idle();
    },
  };
}
