/**
 * Domain XML for VM creation and hot-plug, built from the documented virt-install-style parameters.
 * Public API: the parameter parsers, path confinement, and (below) the builders.
 */

export { BUILTIN_OS_TABLE, builtinProfile, loadOsinfoDb, type OsProfile, osinfoDb } from './osinfo.js';
export * from './params/index.js';
