/**
 * The runtime half of path confinement for a whole DomainSpec: every disk/ISO source (and a file
 * serial console, kernel and initrd) must still be inside the roots once symlinks are resolved.
 * Call it right before defining the domain; it returns the spec with real paths substituted.
 */
import { ALLOWED_ROOTS, assertConfinedRealPath } from '../../paths.js';
import type { DomainSpec } from './spec.js';

export async function assertSpecPathsConfined(
  spec: DomainSpec,
  roots: readonly string[] = ALLOWED_ROOTS,
): Promise<DomainSpec> {
  const disks = await Promise.all(
    spec.disks.map(async (d) =>
      d.source === undefined
        ? d
        : {
            ...d,
            source: await assertConfinedRealPath(d.source, d.device === 'cdrom' ? 'cdrom' : 'disk', roots),
          },
    ),
  );
  const serial =
    spec.serial.type === 'file'
      ? { type: 'file' as const, path: await assertConfinedRealPath(spec.serial.path, 'serial', roots) }
      : spec.serial;
  const k = spec.kernelBoot;
  const kernelBoot = k && {
    ...k,
    kernel: await assertConfinedRealPath(k.kernel, 'kernel', roots),
    initrd: k.initrd === undefined ? undefined : await assertConfinedRealPath(k.initrd, 'initrd', roots),
  };
  return { ...spec, disks, serial, kernelBoot };
}
