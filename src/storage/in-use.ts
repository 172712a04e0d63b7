/**
 * Fallback answer to "does a domain use this file?" until the agent wires libvirt: scan the domain
 * definitions libvirt keeps on the host (persistent: /etc/libvirt/qemu, running: /run/libvirt/qemu)
 * and the command lines of running qemu processes.
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { listDir } from './fsutil.js';
import type { DomainUse, DomainUseCheck } from './ports.js';

const PERSISTENT_DIR = '/etc/libvirt/qemu';
const RUNNING_DIR = '/run/libvirt/qemu';

function xmlMentions(xml: string, path: string): boolean {
  const esc = path.replaceAll('&', '&amp;').replaceAll("'", '&apos;').replaceAll('"', '&quot;');
  return (
    xml.includes(`'${path}'`) ||
    xml.includes(`"${path}"`) ||
    xml.includes(`'${esc}'`) ||
    xml.includes(`"${esc}"`)
  );
}

async function scanDir(dir: string, path: string): Promise<string | undefined> {
  for (const f of await listDir(dir)) {
    if (!f.endsWith('.xml')) continue;
    const xml = await readFile(join(dir, f), 'utf8').catch(() => '');
    if (xml && xmlMentions(xml, path)) return basename(f, '.xml');
  }
  return undefined;
}

async function qemuProcessUsing(path: string): Promise<string | undefined> {
  for (const pid of await listDir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (!cmd.includes('qemu-system') && !cmd.includes('qemu-kvm')) continue;
    if (cmd.includes(path)) {
      const m = /guest=([^,\0]+)/.exec(cmd);
      return m?.[1] ?? `qemu pid ${pid}`;
    }
  }
  return undefined;
}

export const scanDomainUse: DomainUseCheck = async (path: string): Promise<DomainUse | undefined> => {
  const running = (await scanDir(RUNNING_DIR, path)) ?? (await qemuProcessUsing(path));
  if (running) return { domain: running, running: true };
  const defined = await scanDir(PERSISTENT_DIR, path);
  return defined ? { domain: defined, running: false } : undefined;
};
