/**
 * Domain configuration and tuning: vCPUs, memory, devices, block and interface tuning, autostart,
 * managed save, metadata, scheduler, passwords, the guest agent and migration.
 */
import type { Infer } from '../codec.js';
import { DomainMigrateFlags } from '../constants.js';
import { procedures as P } from '../procedures/index.js';
import type { DomainRef, TypedParam } from '../procedures/types.js';
import { DomainApi } from './domain.js';

export class DomainConfigApi extends DomainApi {
  domainSetVcpusFlags(dom: DomainRef, nvcpus: number, flags = 0): Promise<void> {
    return this.call(P.domainSetVcpusFlags, { dom, nvcpus, flags });
  }

  domainGetVcpusFlags(dom: DomainRef, flags = 0): Promise<number> {
    return this.call(P.domainGetVcpusFlags, { dom, flags });
  }

  /** `kib`: memory in KiB. */
  domainSetMemoryFlags(dom: DomainRef, kib: number, flags = 0): Promise<void> {
    return this.call(P.domainSetMemoryFlags, { dom, memory: kib, flags });
  }

  domainSetMaxMemory(dom: DomainRef, kib: number): Promise<void> {
    return this.call(P.domainSetMaxMemory, { dom, memory: kib });
  }

  domainAttachDeviceFlags(dom: DomainRef, xml: string, flags = 0): Promise<void> {
    return this.call(P.domainAttachDeviceFlags, { dom, xml, flags });
  }

  domainDetachDeviceFlags(dom: DomainRef, xml: string, flags = 0): Promise<void> {
    return this.call(P.domainDetachDeviceFlags, { dom, xml, flags });
  }

  domainUpdateDeviceFlags(dom: DomainRef, xml: string, flags = 0): Promise<void> {
    return this.call(P.domainUpdateDeviceFlags, { dom, xml, flags });
  }

  /** `size` in KiB, or bytes with DomainBlockResizeFlags.BYTES. */
  domainBlockResize(dom: DomainRef, disk: string, size: number, flags = 0): Promise<void> {
    return this.call(P.domainBlockResize, { dom, disk, size, flags });
  }

  domainSetBlockIoTune(dom: DomainRef, disk: string, params: TypedParam[], flags = 0): Promise<void> {
    return this.call(P.domainSetBlockIoTune, { dom, disk, params, flags });
  }

  /** Asks for the count first, then the values (libvirt's two-step protocol for these calls). */
  async domainGetBlockIoTune(dom: DomainRef, disk: string, flags = 0): Promise<TypedParam[]> {
    const { nparams } = await this.call(P.domainGetBlockIoTune, { dom, disk, nparams: 0, flags });
    return (await this.call(P.domainGetBlockIoTune, { dom, disk, nparams, flags })).params;
  }

  domainSetInterfaceParameters(
    dom: DomainRef,
    device: string,
    params: TypedParam[],
    flags = 0,
  ): Promise<void> {
    return this.call(P.domainSetInterfaceParameters, { dom, device, params, flags });
  }

  async domainGetInterfaceParameters(dom: DomainRef, device: string, flags = 0): Promise<TypedParam[]> {
    const { nparams } = await this.call(P.domainGetInterfaceParameters, { dom, device, nparams: 0, flags });
    return (await this.call(P.domainGetInterfaceParameters, { dom, device, nparams, flags })).params;
  }

  domainSetAutostart(dom: DomainRef, autostart: boolean): Promise<void> {
    return this.call(P.domainSetAutostart, { dom, autostart });
  }

  domainGetAutostart(dom: DomainRef): Promise<boolean> {
    return this.call(P.domainGetAutostart, { dom });
  }

  domainManagedSave(dom: DomainRef, flags = 0): Promise<void> {
    return this.call(P.domainManagedSave, { dom, flags });
  }

  domainHasManagedSaveImage(dom: DomainRef, flags = 0): Promise<boolean> {
    return this.call(P.domainHasManagedSaveImage, { dom, flags });
  }

  domainManagedSaveRemove(dom: DomainRef, flags = 0): Promise<void> {
    return this.call(P.domainManagedSaveRemove, { dom, flags });
  }

  /** `type`: DomainMetadataType; `key`/`uri` only for ELEMENT; `metadata` null removes it. */
  domainSetMetadata(
    dom: DomainRef,
    type: number,
    metadata: string | null,
    key: string | null,
    uri: string | null,
    flags = 0,
  ): Promise<void> {
    return this.call(P.domainSetMetadata, { dom, type, metadata, key, uri, flags });
  }

  domainGetMetadata(dom: DomainRef, type: number, uri: string | null, flags = 0): Promise<string> {
    return this.call(P.domainGetMetadata, { dom, type, uri, flags });
  }

  domainGetSchedulerType(dom: DomainRef): Promise<{ type: string; nparams: number }> {
    return this.call(P.domainGetSchedulerType, { dom });
  }

  async domainGetSchedulerParametersFlags(dom: DomainRef, flags = 0): Promise<TypedParam[]> {
    const { nparams } = await this.domainGetSchedulerType(dom);
    return this.call(P.domainGetSchedulerParametersFlags, { dom, nparams, flags });
  }

  domainSetSchedulerParametersFlags(dom: DomainRef, params: TypedParam[], flags = 0): Promise<void> {
    return this.call(P.domainSetSchedulerParametersFlags, { dom, params, flags });
  }

  /** Sets a guest user's password through the guest agent. The password is never logged. */
  domainSetUserPassword(dom: DomainRef, user: string, password: string, flags = 0): Promise<void> {
    return this.call(P.domainSetUserPassword, { dom, user, password, flags });
  }

  /** A raw qemu-guest-agent command (JSON text); `timeoutSec` or an AgentCommandTimeout value. */
  qemuDomainAgentCommand(dom: DomainRef, cmd: string, timeoutSec = -1, flags = 0): Promise<string | null> {
    return this.call(P.qemuDomainAgentCommand, { dom, cmd, timeout: timeoutSec, flags });
  }

  domainGetJobStats(dom: DomainRef, flags = 0): Promise<{ type: number; params: TypedParam[] }> {
    return this.call(P.domainGetJobStats, { dom, flags });
  }

  /** Progress of the running job (migration, save, dump): type 0 none, 2 unbounded, 3 completed … */
  domainGetJobInfo(dom: DomainRef): Promise<Infer<typeof P.domainGetJobInfo.ret>> {
    return this.call(P.domainGetJobInfo, { dom });
  }

  domainAbortJob(dom: DomainRef): Promise<void> {
    return this.call(P.domainAbortJob, { dom });
  }

  /**
   * Peer-to-peer migration (virDomainMigrateToURI3): the source daemon connects to `dconnuri`
   * itself and runs the whole protocol, so one call on this connection does it all.
   * `params` are VIR_MIGRATE_PARAM_* typed parameters (e.g. `migrate_uri`, `bandwidth`).
   */
  async domainMigrateToURI3(
    dom: DomainRef,
    dconnuri: string,
    params: TypedParam[],
    flags = 0,
  ): Promise<void> {
    await this.call(P.domainMigratePerform3Params, {
      dom,
      dconnuri,
      params,
      cookie_in: Buffer.alloc(0),
      flags: flags | DomainMigrateFlags.PEER2PEER,
    });
  }
}
