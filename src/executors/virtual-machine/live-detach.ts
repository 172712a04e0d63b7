/**
 * A live detach, the one way for every device kind (disk, NIC, any device element): libvirt only
 * REQUESTS the removal, and the guest OS must release the device. It counts as gone on libvirt's
 * device-removed event for it, or when the running definition no longer lists it (the poll covers an
 * event lost to a reconnect). A guest that never acknowledges (no OS, or it ignores the request)
 * leaves the caller to say what happened, within `timeoutMs`.
 */
import { DomainAffect, type DomainRef } from '../../libvirt/index.js';
import type { Libvirt } from './domains.js';

/** How long a live detach waits for the guest (Services.unplugTimeoutMs overrides it). */
export const DEFAULT_UNPLUG_TIMEOUT_MS = 15_000;

export interface LiveDetach {
  /** The device XML to detach from the running domain. */
  xml: string;
  /** Is this device-removed event's alias our device? */
  isOurs: (alias: string) => boolean;
  /** Is the device still in this running definition (XML)? */
  stillListed: (liveXml: string) => boolean;
  timeoutMs: number;
  signal: AbortSignal;
  pollMs?: number;
}

/** Detaches live and resolves true once the device is gone, false after the timeout or an abort. */
export async function detachLive(lv: Libvirt, dom: DomainRef, o: LiveDetach): Promise<boolean> {
  let finish = (_v: boolean): void => {};
  const removed = new Promise<boolean>((resolve) => {
    const done = (v: boolean): void => {
      clearTimeout(timer);
      clearInterval(poll);
      off();
      o.signal.removeEventListener('abort', abort);
      resolve(v);
    };
    const abort = (): void => done(false);
    const off = lv.onDomainEvent('device-removed', (e) => {
      if (e.domain.name === dom.name && o.isOurs(e.devAlias)) done(true);
    });
    const poll = setInterval(() => {
      lv.domainGetXMLDesc(dom, 0).then(
        (xml) => !o.stillListed(xml) && done(true),
        () => undefined,
      );
    }, o.pollMs ?? 500);
    const timer = setTimeout(() => done(false), o.timeoutMs);
    o.signal.addEventListener('abort', abort, { once: true });
    finish = done;
  });
  try {
    // The listener is in place before the request: an immediate removal is not missed.
    await lv.domainDetachDeviceFlags(dom, o.xml, DomainAffect.LIVE);
  } catch (err) {
    finish(false);
    throw err;
  }
  return removed;
}
