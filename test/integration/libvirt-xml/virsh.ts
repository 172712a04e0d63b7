/** Test-side helpers: virsh (allowed in tests, to cross-check) and throwaway images. */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { execa } from 'execa';

export async function virsh(...args: string[]): Promise<string> {
  const { stdout } = await execa('virsh', ['-c', 'qemu:///system', ...args]);
  return stdout;
}

/** Defines a domain from XML text (through a temporary file, as virsh wants), schema-validated. */
export async function defineXml(dir: string, xml: string, file = 'domain.xml'): Promise<void> {
  await writeFile(`${dir}/${file}`, xml);
  await virsh('define', '--validate', `${dir}/${file}`); // libvirt's schema check too
}

/** Removes a domain whatever its state (snapshots metadata included); never throws. */
export async function removeDomain(name: string): Promise<void> {
  await virsh('destroy', name).catch(() => undefined);
  await virsh('undefine', name, '--snapshots-metadata', '--nvram').catch(() => undefined);
  await virsh('undefine', name).catch(() => undefined);
}

/** A directory under /var/lib/libvirt/images for one test's images. */
export async function imageDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(`/var/lib/libvirt/images/${prefix}`);
  await chmod(dir, 0o755); // QEMU runs as its own user and must reach the images
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function qemuImgCreate(path: string, format: 'qcow2' | 'raw', size = '16M'): Promise<void> {
  await execa('qemu-img', ['create', '-q', '-f', format, path, size]);
}
