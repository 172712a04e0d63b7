/**
 * The `virt_type` parameter. The doc lists `kvm` and `xen`; this agent drives QEMU, so `xen` is a
 * valid request this node cannot serve (UnsupportedError), and `qemu` (TCG) is accepted as well.
 */
import { UnsupportedError } from '../../../errors.js';
import { parseEnum } from './options.js';

export type VirtType = 'kvm' | 'qemu';

export function parseVirtType(text: string, field = 'virt_type'): VirtType {
  const v = parseEnum(field, 'virt_type', String(text).trim(), ['kvm', 'qemu', 'xen'] as const);
  if (v === 'xen') {
    throw new UnsupportedError(
      `${field}: xen is not supported on this node (it runs QEMU/KVM); use kvm or qemu`,
      {
        details: { field },
      },
    );
  }
  return v;
}

/**
 * The virt type to define with: the node's setting (`kvm`, or `qemu` where KVM cannot run a guest OS)
 * unless the request asks for `qemu` explicitly.
 */
export function effectiveVirtType(requested: VirtType | undefined, node: VirtType): VirtType {
  return requested === 'qemu' ? 'qemu' : node;
}
