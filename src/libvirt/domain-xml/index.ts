/**
 * Domain XML for VM creation and hot-plug, built from the documented virt-install-style parameters.
 * Public API: the parameter parsers (params/; path confinement is src/paths.ts), `domainSpecFromParams`,
 * `buildDomainXml` and the device builders for hot-plug.
 */

export { buildDomainXml, DEFAULT_SPARE_ROOT_PORTS } from './build.js';
export * from './device-edit.js';
export {
  buildCdromXml,
  buildDiskDeviceXml,
  buildGraphicsXml,
  buildHostdevXml,
  buildInterfaceXml,
  type CdromSpec,
  type HostdevSpec,
  tapNameForMac,
} from './devices.js';
export { setBootOrder } from './edit.js';
export {
  CREATE_VM_PARAMS,
  type CreateVmParams,
  type DomainSpecOptions,
  domainSpecFromParams,
  interfaceSpecFromNetwork,
} from './from-params.js';
export { BUILTIN_OS_TABLE, builtinProfile, loadOsinfoDb, type OsProfile, osinfoDb } from './osinfo.js';
export * from './params/index.js';
export { assertSpecPathsConfined } from './real-paths.js';
export type {
  DirectKernelBoot,
  DiskDeviceSpec,
  DomainSpec,
  InterfaceSpec,
  ResolvedDiskBus,
  SerialSpec,
} from './spec.js';
