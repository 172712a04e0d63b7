/** Domain lookup, listing, definition and lifecycle. */
import { type DomainStateName, domainStateName } from '../constants.js';
import { procedures as P } from '../procedures/index.js';
import type { DomainRef } from '../procedures/types.js';
import { NodeApi } from './node.js';

export interface DomainInfo {
  state: number;
  stateName: DomainStateName;
  /** KiB */
  maxMem: number;
  /** KiB */
  memory: number;
  nrVirtCpu: number;
  /** ns */
  cpuTime: number;
}

export interface DomainState {
  state: number;
  stateName: DomainStateName;
  reason: number;
}

export class DomainApi extends NodeApi {
  domainLookupByName(name: string): Promise<DomainRef> {
    return this.call(P.domainLookupByName, name);
  }

  domainLookupByUUID(uuid: string): Promise<DomainRef> {
    return this.call(P.domainLookupByUUID, uuid);
  }

  domainLookupByID(id: number): Promise<DomainRef> {
    return this.call(P.domainLookupByID, id);
  }

  /** Every domain matching `flags` (ConnectListAllDomainsFlags; 0 = all). */
  async connectListAllDomains(flags = 0): Promise<DomainRef[]> {
    const r = await this.call(P.connectListAllDomains, { need_results: 1, flags });
    return r.domains;
  }

  domainDefineXMLFlags(xml: string, flags = 0): Promise<DomainRef> {
    return this.call(P.domainDefineXMLFlags, { xml, flags });
  }

  domainUndefineFlags(dom: DomainRef, flags = 0): Promise<void> {
    return this.call(P.domainUndefineFlags, { dom, flags });
  }

  /** Starts a defined domain. */
  domainCreate(dom: DomainRef): Promise<void> {
    return this.call(P.domainCreate, { dom });
  }

  /** Starts a defined domain; returns it with its new id. */
  domainCreateWithFlags(dom: DomainRef, flags = 0): Promise<DomainRef> {
    return this.call(P.domainCreateWithFlags, { dom, flags });
  }

  /** Creates and starts a transient domain. */
  domainCreateXML(xml: string, flags = 0): Promise<DomainRef> {
    return this.call(P.domainCreateXML, { xml_desc: xml, flags });
  }

  domainShutdownFlags(dom: DomainRef, flags = 0): Promise<void> {
    return this.call(P.domainShutdownFlags, { dom, flags });
  }

  domainDestroyFlags(dom: DomainRef, flags = 0): Promise<void> {
    return this.call(P.domainDestroyFlags, { dom, flags });
  }

  domainReboot(dom: DomainRef, flags = 0): Promise<void> {
    return this.call(P.domainReboot, { dom, flags });
  }

  domainReset(dom: DomainRef, flags = 0): Promise<void> {
    return this.call(P.domainReset, { dom, flags });
  }

  domainSuspend(dom: DomainRef): Promise<void> {
    return this.call(P.domainSuspend, { dom });
  }

  domainResume(dom: DomainRef): Promise<void> {
    return this.call(P.domainResume, { dom });
  }

  async domainGetInfo(dom: DomainRef): Promise<DomainInfo> {
    const i = await this.call(P.domainGetInfo, { dom });
    return { ...i, stateName: domainStateName(i.state) };
  }

  async domainGetState(dom: DomainRef, flags = 0): Promise<DomainState> {
    const s = await this.call(P.domainGetState, { dom, flags });
    return { ...s, stateName: domainStateName(s.state) };
  }

  domainGetXMLDesc(dom: DomainRef, flags = 0): Promise<string> {
    return this.call(P.domainGetXMLDesc, { dom, flags });
  }

  domainIsActive(dom: DomainRef): Promise<boolean> {
    return this.call(P.domainIsActive, { dom });
  }

  domainIsPersistent(dom: DomainRef): Promise<boolean> {
    return this.call(P.domainIsPersistent, { dom });
  }

  /** KiB */
  domainGetMaxMemory(dom: DomainRef): Promise<number> {
    return this.call(P.domainGetMaxMemory, { dom });
  }
}
