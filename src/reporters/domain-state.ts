/**
 * Mirrors libvirt domain state into VirtualMachine objects: on every lifecycle event (a domain
 * started, stopped, destroyed by another tool, paused, …) and after every VM operation, the VM
 * object named like the domain gets `spec.domain` (JSON of the live XML), `spec.powerstate` and
 * the VM status. Reports of one domain never overlap: events arriving while one runs coalesce into
 * one more report, so a burst costs at most two writes and the last one reflects the final state.
 */
import { errorMessage } from '../errors.js';
import { domainDisks } from '../executors/virtual-machine/shared.js';
import { diskNameOf } from '../lock-names.js';
import type { Logger } from '../log.js';
import type { FieldPatcher, SpecPatcher } from './patcher.js';
import { DomainState, powerStateOf, vmStatus } from './power-state.js';

/** VIR_DOMAIN_PAUSED_STARTING_UP */
const PAUSED_STARTING_UP = 11;

/** What the reporter reads from libvirt (the agent adapts its LibvirtClient to this). */
export interface DomainSource {
  /** Calls `listener` with the domain name on every lifecycle event; returns the unsubscribe. */
  onLifecycle(listener: (domain: string, event: string) => void): () => void;
  /** The live XML, the VIR_DOMAIN_* state and its reason; undefined when the domain does not exist. */
  describe(domain: string): Promise<{ xml: string; state: number; reason?: number } | undefined>;
}

export interface DomainStateReporterOptions {
  source: DomainSource;
  patch: SpecPatcher;
  /** The XML → JSON conversion of `spec.domain`. */
  toJson: (xml: string) => Record<string, unknown>;
  namespace: string;
  log: Logger;
  /**
   * When given, VirtualMachineDisk objects follow their users as uni-virt kept them:
   * `spec.volume.vm` = the domain whose disks include the disk's file, "" once it no longer does.
   */
  diskUsers?: FieldPatcher;
}

/** The spec members a VM report writes. */
export function vmSpecReport(
  xml: string,
  state: number,
  toJson: (xml: string) => Record<string, unknown>,
): Record<string, unknown> {
  const power = powerStateOf(state);
  return { domain: toJson(xml), powerstate: power, status: vmStatus(power) };
}

export class DomainStateReporter {
  private unsubscribe: (() => void) | undefined;
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  /** Disk objects each domain was last seen using (to clear `volume.vm` when it stops). */
  private readonly disksOf = new Map<string, Set<string>>();
  /** Reports that failed or ran, for tests and metrics. */
  reports = 0;

  constructor(private readonly o: DomainStateReporterOptions) {}

  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.o.source.onLifecycle((domain, event) => {
      this.o.log.debug({ domain, event }, 'domain lifecycle event');
      void this.report(domain);
    });
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** Reports `domain` now, or once more after the report in flight. Never throws. */
  report(domain: string): Promise<void> {
    const inFlight = this.running.get(domain);
    if (inFlight) {
      this.again.add(domain);
      return inFlight;
    }
    const p = this.loop(domain).finally(() => this.running.delete(domain));
    this.running.set(domain, p);
    return p;
  }

  /** Waits for every report in flight (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }

  private async loop(domain: string): Promise<void> {
    do {
      this.again.delete(domain);
      await this.once(domain);
    } while (this.again.has(domain));
  }

  private async syncDiskUsers(domain: string, now: Set<string>): Promise<void> {
    const patch = this.o.diskUsers;
    if (!patch) return;
    const before = this.disksOf.get(domain) ?? new Set<string>();
    const ref = (name: string) => ({
      kind: 'VirtualMachineDisk' as const,
      namespace: this.o.namespace,
      name,
    });
    for (const name of now) if (!before.has(name)) await patch(ref(name), ['volume', 'vm'], domain);
    for (const name of before) {
      if (!now.has(name)) await patch(ref(name), ['volume', 'vm'], '', (cur) => cur === domain);
    }
    if (now.size > 0) this.disksOf.set(domain, now);
    else this.disksOf.delete(domain);
  }

  private async once(domain: string): Promise<void> {
    try {
      const d = await this.o.source.describe(domain);
      // An undefined domain leaves the object alone: deleteVM removes it, and an out-of-band
      // undefine must not erase what users still want to see. Its disks are free again.
      if (!d) {
        await this.syncDiskUsers(domain, new Set());
        return;
      }
      // Paused while QEMU starts up is a moment inside domainCreate; the Started/Resumed event follows.
      if (d.state === DomainState.PAUSED && d.reason === PAUSED_STARTING_UP) return;
      const spec = vmSpecReport(d.xml, d.state, this.o.toJson);
      const wrote = await this.o.patch(
        { kind: 'VirtualMachine', namespace: this.o.namespace, name: domain },
        spec,
      );
      this.reports++;
      if (wrote) this.o.log.debug({ domain, powerstate: spec.powerstate }, 'domain state reported');
      const disks = domainDisks(d.xml)
        .filter((x) => x.device === 'disk' && x.source)
        .map((x) => diskNameOf(x.source as string))
        .filter((n): n is string => n !== undefined);
      await this.syncDiskUsers(domain, new Set(disks));
    } catch (err) {
      this.o.log.warn({ domain, err: errorMessage(err) }, 'domain state report failed');
    }
  }
}
