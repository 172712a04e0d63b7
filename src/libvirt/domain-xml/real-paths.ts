/**
 * The runtime half of path confinement for a whole DomainSpec: every disk/ISO source (and a file
 * serial console, kernel and initrd) must still be inside the roots once symlinks are resolved,
 * and name the right kind of file (a block device only for a `block` source).
 * Call it right before defining the domain; it returns the spec with real paths substituted.
 */
import { ALLOWED_ROOTS, assertConfinedRealPath, resolveRequestPath } from '../../paths.js';
import type { DomainSpec } from './spec.js';

export async function assertSpecPathsConfined(
  spec: DomainSpec,
  roots: readonly string[] = ALLOWED_ROOTS,
): Promise<DomainSpec> {
  const disks = await Promise.all(
    spec.disks.map(async (d) => {
      if (d.source === undefined) return d;
      const cdrom = d.device === 'cdrom';
      const source = await resolveRequestPath(d.source, cdrom ? 'cdrom' : 'disk', {
        kind: d.sourceType === 'block' ? 'block' : 'file',
        what: cdrom ? 'ISO file' : 'disk file',
        roots,
      });
      return { ...d, source };
    }),
  );
  // The console file is created by QEMU: only its directory has to exist.
  const serial =
    spec.serial.type === 'file'
      ? { type: 'file' as const, path: await assertConfinedRealPath(spec.serial.path, 'serial', roots) }
      : spec.serial;
  const k = spec.kernelBoot;
  const file = (p: string, field: string) => resolveRequestPath(p, field, { kind: 'file', roots });
  const kernelBoot = k && {
    ...k,
    kernel: await file(k.kernel, 'kernel'),
    initrd: k.initrd === undefined ? undefined : await file(k.initrd, 'initrd'),
  };
  return { ...spec, disks, serial, kernelBoot };
}
