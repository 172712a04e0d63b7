/**
 * Device choices per guest OS (`os_variant`), from the osinfo database Debian ships
 * (/usr/share/osinfo, package osinfo-db) when present, else from a small built-in table.
 *
 * From osinfo we read, per OS: its short-ids, family/distro, the `derives-from` and `clones` parents,
 * and the device ids it lists as supported. Devices are inherited from parents (a child may mark one
 * `supported="false"`). We derive: virtio block (PCI 1af4:1001 or 1af4:1042), virtio net (1af4:1000 or
 * 1af4:1041) and the q35 chipset (`http://qemu.org/chipset/x86/q35`), which picks the machine type.
 * The files are scanned with regular expressions (only these few elements are needed; a full XML parse
 * of 4.5 MB costs far more), once, on first use.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const DEFAULT_OSINFO_DIR = '/usr/share/osinfo';

export interface OsProfile {
  /** The short-id as requested (`centos7.0`). */
  readonly shortId: string;
  /** `linux`, `winnt`, `freebsd`, … (osinfo family), or the built-in family. */
  readonly family: string;
  readonly distro: string | undefined;
  readonly virtioDisk: boolean;
  readonly virtioNet: boolean;
  /** Machine type: q35 when the OS supports it, else the i440fx `pc`. */
  readonly machine: 'q35' | 'pc';
  readonly source: 'osinfo' | 'builtin';
}

const VIRTIO_BLK = ['http://pcisig.com/pci/1af4/1001', 'http://pcisig.com/pci/1af4/1042'];
const VIRTIO_NET = ['http://pcisig.com/pci/1af4/1000', 'http://pcisig.com/pci/1af4/1041'];
const Q35 = 'http://qemu.org/chipset/x86/q35';

interface RawOs {
  id: string;
  shortIds: string[];
  family: string | undefined;
  distro: string | undefined;
  parents: string[];
  supported: Set<string>;
  unsupported: Set<string>;
}

export interface OsinfoDb {
  readonly dir: string;
  readonly version: string | undefined;
  readonly byShortId: ReadonlyMap<string, OsProfile>;
  /** Distinct distro names, sorted: used in error messages. */
  readonly families: readonly string[];
}

/** The text of the first `<tag>` in `body` (variants, media and trees are cut out beforehand). */
function firstTag(body: string, tag: string): string | undefined {
  return new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(body)?.[1]?.trim();
}

function parseOsFile(text: string): RawOs[] {
  const out: RawOs[] = [];
  for (const m of text.matchAll(/<os id="([^"]+)">([\s\S]*?)<\/os>/g)) {
    const id = m[1] as string;
    // Variants, media, trees and images carry their own <family>/<name>: cut them out first.
    const body = (m[2] as string).replace(
      /<(variant|media|tree|image|installer|resources)\b[\s\S]*?<\/\1>/g,
      '',
    );
    const devicesBlock = /<devices>([\s\S]*?)<\/devices>/.exec(body)?.[1] ?? '';
    const supported = new Set<string>();
    const unsupported = new Set<string>();
    for (const d of devicesBlock.matchAll(/<device id="([^"]+)"(\s+supported="false")?\s*\/>/g)) {
      (d[2] ? unsupported : supported).add(d[1] as string);
    }
    out.push({
      id,
      shortIds: [...body.matchAll(/<short-id>([^<]+)<\/short-id>/g)].map((s) => (s[1] as string).trim()),
      family: firstTag(body, 'family'),
      distro: firstTag(body, 'distro'),
      parents: [...body.matchAll(/<(?:derives-from|clones) id="([^"]+)"\s*\/>/g)].map((p) => p[1] as string),
      supported,
      unsupported,
    });
  }
  return out;
}

function listXmlFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) files.push(...listXmlFiles(full));
    else if (entry.endsWith('.xml')) files.push(full);
  }
  return files;
}

/** Loads the database under `dir` (its `os/` tree); undefined if it is not there. */
export function loadOsinfoDb(dir: string = DEFAULT_OSINFO_DIR): OsinfoDb | undefined {
  let files: string[];
  try {
    files = listXmlFiles(join(dir, 'os'));
  } catch {
    return undefined;
  }
  if (files.length === 0) return undefined;
  const byId = new Map<string, RawOs>();
  for (const file of files) for (const os of parseOsFile(readFileSync(file, 'utf8'))) byId.set(os.id, os);

  const resolved = new Map<string, Set<string>>();
  const devicesOf = (id: string, seen: Set<string>): Set<string> => {
    const cached = resolved.get(id);
    if (cached) return cached;
    const os = byId.get(id);
    const set = new Set<string>();
    if (!os || seen.has(id)) return set;
    seen.add(id);
    for (const parent of os.parents) for (const d of devicesOf(parent, seen)) set.add(d);
    for (const d of os.unsupported) set.delete(d);
    for (const d of os.supported) set.add(d);
    resolved.set(id, set);
    return set;
  };

  const byShortId = new Map<string, OsProfile>();
  const families = new Set<string>();
  for (const os of byId.values()) {
    const devices = devicesOf(os.id, new Set());
    if (os.distro) families.add(os.distro);
    for (const shortId of os.shortIds) {
      byShortId.set(shortId, {
        shortId,
        family: os.family ?? 'unknown',
        distro: os.distro,
        virtioDisk: VIRTIO_BLK.some((d) => devices.has(d)),
        virtioNet: VIRTIO_NET.some((d) => devices.has(d)),
        machine: devices.has(Q35) ? 'q35' : 'pc',
        source: 'osinfo',
      });
    }
  }
  let version: string | undefined;
  try {
    version = readFileSync(join(dir, 'VERSION'), 'utf8').trim();
  } catch {
    version = undefined;
  }
  return { dir, version, byShortId, families: [...families].sort() };
}

/**
 * The built-in table used when no osinfo database is installed: one row per family, matched on the
 * short-id. Rows are tried in order; `q35From` is compared with the first number in the short-id.
 */
export interface BuiltinRow {
  readonly family: string;
  readonly pattern: RegExp;
  readonly osFamily: string;
  /** Versions from this one on get the q35 machine; older ones (and undefined) get pc. */
  readonly q35From: number | undefined;
  readonly virtio: boolean;
}

export const BUILTIN_OS_TABLE: readonly BuiltinRow[] = [
  {
    family: 'centos',
    pattern: /^centos(?:-stream)?(\d+)(?:\.\d+)?$/,
    osFamily: 'linux',
    q35From: 7,
    virtio: true,
  },
  { family: 'rhel', pattern: /^rhel(\d+)(?:\.\d+)?$/, osFamily: 'linux', q35From: 7, virtio: true },
  { family: 'rocky', pattern: /^rocky(\d+)(?:\.\d+)?$/, osFamily: 'linux', q35From: 8, virtio: true },
  { family: 'almalinux', pattern: /^almalinux(\d+)(?:\.\d+)?$/, osFamily: 'linux', q35From: 8, virtio: true },
  { family: 'fedora', pattern: /^fedora(\d+)$/, osFamily: 'linux', q35From: 23, virtio: true },
  { family: 'debian', pattern: /^debian(\d+)$/, osFamily: 'linux', q35From: 9, virtio: true },
  { family: 'ubuntu', pattern: /^ubuntu(\d+)\.\d+$/, osFamily: 'linux', q35From: 17, virtio: true },
  { family: 'opensuse', pattern: /^opensuse(\d+)(?:\.\d+)?$/, osFamily: 'linux', q35From: 42, virtio: true },
  { family: 'sles', pattern: /^sle[sd](\d+)(?:sp\d+)?$/, osFamily: 'linux', q35From: 12, virtio: true },
  { family: 'linux', pattern: /^linux(\d{4})$/, osFamily: 'linux', q35From: 2016, virtio: true },
  { family: 'win', pattern: /^win(\d+|xp|2k\d*r?\d*)$/, osFamily: 'winnt', q35From: 7, virtio: false },
  {
    family: 'freebsd',
    pattern: /^freebsd(\d+)(?:\.\d+)?$/,
    osFamily: 'freebsd',
    q35From: undefined,
    virtio: true,
  },
  {
    family: 'generic',
    pattern: /^(generic|unknown)()$/,
    osFamily: 'unknown',
    q35From: undefined,
    virtio: false,
  },
];

export function builtinProfile(shortId: string): OsProfile | undefined {
  for (const row of BUILTIN_OS_TABLE) {
    const m = row.pattern.exec(shortId);
    if (!m) continue;
    const version = Number(m[1]);
    const q35 = row.q35From !== undefined && Number.isFinite(version) && version >= row.q35From;
    return {
      shortId,
      family: row.osFamily,
      distro: row.family,
      virtioDisk: row.virtio,
      virtioNet: row.virtio,
      machine: q35 ? 'q35' : 'pc',
      source: 'builtin',
    };
  }
  return undefined;
}

const cache = new Map<string, OsinfoDb | null>();

/** The database of `dir`, loaded once per process. */
export function osinfoDb(dir: string = DEFAULT_OSINFO_DIR): OsinfoDb | undefined {
  if (!cache.has(dir)) cache.set(dir, loadOsinfoDb(dir) ?? null);
  return cache.get(dir) ?? undefined;
}
