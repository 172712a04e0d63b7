/**
 * Path confinement for request parameters. One implementation for the whole agent: the domain XML
 * module's (absolute, 18–1024 characters, [A-Za-z0-9._-] segments, strictly under an allowed root
 * once `..` is resolved). Symlink escapes are a runtime check (`assertConfinedRealPath`).
 */
export { ALLOWED_ROOTS, confinePath } from '../../libvirt/domain-xml/index.js';
