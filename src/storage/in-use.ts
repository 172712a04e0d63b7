/**
 * Fallback answer to "does a domain use this file?" until the agent wires libvirt: scan the domain
 * definitions libvirt keeps on the host (persistent: /etc/libvirt/qemu, running: /run/libvirt/qemu)
 * and the command lines of running qemu processes.
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { xmlNamesFile } from '../xml-text.js';
import { listDir } from './fsutil.js';
import type { DomainUse, DomainUseCheck } from './ports.js';

const PERSISTENT_DIR = '/etc/libvirt/qemu';
const RUNNING_DIR = '/run/libvirt/qemu';

interface HostView {
  running: { name: string; text: string }[];
  defined: { name: string; text: string }[];
}

async function readXmls(dir: string): Promise<{ name: string; text: string }[]> {
  const out: { name: string; text: string }[] = [];
  for (const f of await listDir(dir)) {
    if (!f.endsWith('.xml')) continue;
    const text = await readFile(join(dir, f), 'utf8').catch(() => '');
    if (text) out.push({ name: basename(f, '.xml'), text });
  }
  return out;
}

async function qemuCmdlines(): Promise<{ name: string; text: string }[]> {
  const out: { name: string; text: string }[] = [];
  for (const pid of await listDir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (!cmd.includes('qemu-system') && !cmd.includes('qemu-kvm')) continue;
    out.push({ name: /guest=([^,\0]+)/.exec(cmd)?.[1] ?? `qemu pid ${pid}`, text: cmd });
  }
  return out;
}

// Read afresh on every call: a cached view would miss a domain defined a moment ago (and then a
// disk it uses could be deleted).
async function hostView(): Promise<HostView> {
  return {
    running: [...(await readXmls(RUNNING_DIR)), ...(await qemuCmdlines())],
    defined: await readXmls(PERSISTENT_DIR),
  };
}

export const scanDomainUse: DomainUseCheck = async (path: string): Promise<DomainUse | undefined> => {
  const v = await hostView();
  const running = v.running.find((x) =>
    x.text.includes('\0') ? x.text.includes(path) : xmlNamesFile(x.text, path),
  );
  if (running) return { domain: running.name, running: true };
  const defined = v.defined.find((x) => xmlNamesFile(x.text, path));
  return defined ? { domain: defined.name, running: false } : undefined;
};
