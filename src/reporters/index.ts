/**
 * The reporters: host events turned into queue keys, and nothing else. A libvirt domain event
 * (started, stopped, destroyed by another tool, paused, a device added or removed) names the
 * domain; a reconnect to libvirtd means events may have been lost, so everything is looked at
 * again. The agent maps each to the keys of its objects, and the per-key sync observes the host and
 * writes through the one status writer — a reporter never writes an object itself.
 */
import type { LibvirtClient } from '../libvirt/index.js';
import type { Logger } from '../log.js';

export interface HostEventSink {
  /** Something happened to this domain. */
  domain(name: string, event: string): void;
  /** Events may have been lost (libvirtd reconnected): re-observe everything. */
  resync(reason: string): void;
}

export interface Reporters {
  stop(): void;
}

export function startReporters(o: { libvirt: LibvirtClient; sink: HostEventSink; log: Logger }): Reporters {
  const log = o.log.child({ component: 'reporter' });
  const forward = (name: string, event: string): void => {
    log.debug({ domain: name, event }, 'domain event');
    o.sink.domain(name, event);
  };
  // Device events too: a disk the guest releases late (after UnplugDisk gave up waiting) or a
  // device plugged by another tool must show in spec.domain.
  const offs = [
    o.libvirt.onDomainEvent('lifecycle', (e) => forward(e.domain.name, e.event)),
    o.libvirt.onDomainEvent('device-removed', (e) => forward(e.domain.name, 'DeviceRemoved')),
    o.libvirt.onDomainEvent('device-added', (e) => forward(e.domain.name, 'DeviceAdded')),
  ];
  const onState = (s: string): void => {
    if (s === 'connected') o.sink.resync('libvirt reconnected');
  };
  o.libvirt.on('state', onState);
  return {
    stop() {
      o.libvirt.off('state', onState);
      for (const off of offs) off();
    },
  };
}
