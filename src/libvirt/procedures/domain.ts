/** Domain procedures of the REMOTE program: lookup, lifecycle, configuration, tuning, migration. */
import { array, bool, int, none, opaque, optional, string, struct, uhyper, uint, uuid } from '../codec.js';
import { domainRef, field, proc, qemuProc, slow, typedParam } from './types.js';

const dom = domainRef;
const params = (max: number) => array(typedParam, max);
const domOnly = struct({ dom });
const domFlags = struct({ dom, flags: uint });
const domXmlFlags = struct({ dom, xml: string, flags: uint });
const retDom = field('dom', domainRef);

export const domainInfo = struct({
  state: uint, // unsigned char on the wire, one XDR word
  maxMem: uhyper, // KiB
  memory: uhyper, // KiB
  nrVirtCpu: uint, // unsigned short, one XDR word
  cpuTime: uhyper, // ns
});

export const domainProcedures = {
  domainCreate: slow(proc(9, 'DOMAIN_CREATE', domOnly, none)),
  domainCreateXML: slow(proc(10, 'DOMAIN_CREATE_XML', struct({ xml_desc: string, flags: uint }), retDom)),
  domainGetXMLDesc: proc(14, 'DOMAIN_GET_XML_DESC', domFlags, field('xml', string)),
  domainGetAutostart: proc(15, 'DOMAIN_GET_AUTOSTART', domOnly, field('autostart', bool)),
  domainGetInfo: proc(16, 'DOMAIN_GET_INFO', domOnly, domainInfo),
  domainGetMaxMemory: proc(17, 'DOMAIN_GET_MAX_MEMORY', domOnly, field('memory', uhyper)),
  domainLookupByID: proc(22, 'DOMAIN_LOOKUP_BY_ID', field('id', int), retDom),
  domainLookupByName: proc(23, 'DOMAIN_LOOKUP_BY_NAME', field('name', string), retDom),
  domainLookupByUUID: proc(24, 'DOMAIN_LOOKUP_BY_UUID', field('uuid', uuid), retDom),
  domainReboot: slow(proc(27, 'DOMAIN_REBOOT', domFlags, none)),
  domainResume: proc(28, 'DOMAIN_RESUME', domOnly, none),
  domainSetAutostart: proc(29, 'DOMAIN_SET_AUTOSTART', struct({ dom, autostart: bool }), none),
  domainSetMaxMemory: proc(30, 'DOMAIN_SET_MAX_MEMORY', struct({ dom, memory: uhyper }), none),
  domainSuspend: proc(34, 'DOMAIN_SUSPEND', domOnly, none),
  domainGetSchedulerType: proc(
    56,
    'DOMAIN_GET_SCHEDULER_TYPE',
    domOnly,
    struct({ type: string, nparams: int }),
  ),
  domainIsActive: proc(150, 'DOMAIN_IS_ACTIVE', domOnly, field('active', bool)),
  domainIsPersistent: proc(151, 'DOMAIN_IS_PERSISTENT', domOnly, field('persistent', bool)),
  domainAttachDeviceFlags: proc(160, 'DOMAIN_ATTACH_DEVICE_FLAGS', domXmlFlags, none),
  domainDetachDeviceFlags: proc(161, 'DOMAIN_DETACH_DEVICE_FLAGS', domXmlFlags, none),
  domainGetJobInfo: proc(
    163,
    'DOMAIN_GET_JOB_INFO',
    domOnly,
    struct({
      type: int,
      timeElapsed: uhyper,
      timeRemaining: uhyper,
      dataTotal: uhyper,
      dataProcessed: uhyper,
      dataRemaining: uhyper,
      memTotal: uhyper,
      memProcessed: uhyper,
      memRemaining: uhyper,
      fileTotal: uhyper,
      fileProcessed: uhyper,
      fileRemaining: uhyper,
    }),
  ),
  domainAbortJob: proc(164, 'DOMAIN_ABORT_JOB', domOnly, none),
  domainUpdateDeviceFlags: proc(174, 'DOMAIN_UPDATE_DEVICE_FLAGS', domXmlFlags, none),
  domainManagedSave: slow(proc(182, 'DOMAIN_MANAGED_SAVE', domFlags, none)),
  domainHasManagedSaveImage: proc(183, 'DOMAIN_HAS_MANAGED_SAVE_IMAGE', domFlags, field('result', bool)),
  domainManagedSaveRemove: proc(184, 'DOMAIN_MANAGED_SAVE_REMOVE', domFlags, none),
  domainCreateWithFlags: slow(proc(196, 'DOMAIN_CREATE_WITH_FLAGS', domFlags, retDom)),
  domainSetVcpusFlags: proc(199, 'DOMAIN_SET_VCPUS_FLAGS', struct({ dom, nvcpus: uint, flags: uint }), none),
  domainGetVcpusFlags: proc(200, 'DOMAIN_GET_VCPUS_FLAGS', domFlags, field('num', int)),
  domainSetMemoryFlags: proc(
    204,
    'DOMAIN_SET_MEMORY_FLAGS',
    struct({ dom, memory: uhyper, flags: uint }),
    none,
  ),
  domainGetState: proc(212, 'DOMAIN_GET_STATE', domFlags, struct({ state: int, reason: int })),
  domainSetSchedulerParametersFlags: proc(
    219,
    'DOMAIN_SET_SCHEDULER_PARAMETERS_FLAGS',
    struct({ dom, params: params(16), flags: uint }),
    none,
  ),
  domainGetSchedulerParametersFlags: proc(
    223,
    'DOMAIN_GET_SCHEDULER_PARAMETERS_FLAGS',
    struct({ dom, nparams: int, flags: uint }),
    field('params', params(16)),
  ),
  domainUndefineFlags: proc(231, 'DOMAIN_UNDEFINE_FLAGS', domFlags, none),
  domainDestroyFlags: proc(234, 'DOMAIN_DESTROY_FLAGS', domFlags, none),
  domainReset: proc(245, 'DOMAIN_RESET', domFlags, none),
  domainBlockResize: proc(
    251,
    'DOMAIN_BLOCK_RESIZE',
    struct({ dom, disk: string, size: uhyper, flags: uint }),
    none,
  ),
  domainSetBlockIoTune: proc(
    252,
    'DOMAIN_SET_BLOCK_IO_TUNE',
    struct({ dom, disk: string, params: params(32), flags: uint }),
    none,
  ),
  domainGetBlockIoTune: proc(
    253,
    'DOMAIN_GET_BLOCK_IO_TUNE',
    struct({ dom, disk: optional(string), nparams: int, flags: uint }),
    struct({ params: params(32), nparams: int }),
  ),
  domainSetInterfaceParameters: proc(
    256,
    'DOMAIN_SET_INTERFACE_PARAMETERS',
    struct({ dom, device: string, params: params(16), flags: uint }),
    none,
  ),
  domainGetInterfaceParameters: proc(
    257,
    'DOMAIN_GET_INTERFACE_PARAMETERS',
    struct({ dom, device: string, nparams: int, flags: uint }),
    struct({ params: params(16), nparams: int }),
  ),
  domainShutdownFlags: slow(proc(258, 'DOMAIN_SHUTDOWN_FLAGS', domFlags, none)),
  domainSetMetadata: proc(
    264,
    'DOMAIN_SET_METADATA',
    struct({
      dom,
      type: int,
      metadata: optional(string),
      key: optional(string),
      uri: optional(string),
      flags: uint,
    }),
    none,
  ),
  domainGetMetadata: proc(
    265,
    'DOMAIN_GET_METADATA',
    struct({ dom, type: int, uri: optional(string), flags: uint }),
    field('metadata', string),
  ),
  connectListAllDomains: proc(
    273,
    'CONNECT_LIST_ALL_DOMAINS',
    struct({ need_results: int, flags: uint }),
    struct({ domains: array(domainRef, 16384), ret: uint }),
  ),
  domainGetJobStats: proc(298, 'DOMAIN_GET_JOB_STATS', domFlags, struct({ type: int, params: params(64) })),
  domainMigratePerform3Params: slow(
    proc(
      305,
      'DOMAIN_MIGRATE_PERFORM3_PARAMS',
      struct({ dom, dconnuri: optional(string), params: params(64), cookie_in: opaque, flags: uint }),
      field('cookie_out', opaque),
    ),
  ),
  domainDefineXMLFlags: proc(350, 'DOMAIN_DEFINE_XML_FLAGS', struct({ xml: string, flags: uint }), retDom),
  domainSetUserPassword: slow(
    proc(
      357,
      'DOMAIN_SET_USER_PASSWORD',
      struct({ dom, user: optional(string), password: optional(string), flags: uint }),
      none,
    ),
  ),
  /** QEMU program: a raw qemu-guest-agent command (JSON in, JSON out). */
  qemuDomainAgentCommand: slow(
    qemuProc(
      3,
      'QEMU_DOMAIN_AGENT_COMMAND',
      struct({ dom, cmd: string, timeout: int, flags: uint }),
      field('result', optional(string)),
    ),
  ),
};
