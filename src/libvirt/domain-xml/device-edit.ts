/**
 * Edits of single devices and of the definition on the lossless element tree (like edit.ts): the
 * element libvirt returned is changed in place and rendered back, so an update-device call carries
 * exactly the device libvirt knows (address, alias, listen) with one thing changed.
 */
import { KubestackError, ValidationError } from '../../errors.js';
import { parseXmlTree, type XmlTreeElement } from '../xml/tree.js';
import { renderXmlTree } from '../xml/tree-render.js';

type El = XmlTreeElement;

export function attrOf(el: El, name: string): string | undefined {
  return el.attrs.find(([k]) => k === name)?.[1];
}

function childOf(el: El, name: string): El | undefined {
  return el.children.find((c) => c.name === name);
}

function withAttr(el: El, name: string, value: string | undefined): El {
  const rest = el.attrs.filter(([k]) => k !== name);
  return { ...el, attrs: value === undefined ? rest : [...rest, [name, value]] };
}

function node(name: string, attrs: [string, string][] = [], children: El[] = [], text = ''): El {
  return { name, attrs, text, children };
}

function domainOf(xml: string): El {
  const root = parseXmlTree(xml);
  if (root.name !== 'domain')
    throw new KubestackError('Internal', `expected <domain> XML, got <${root.name}>`);
  return root;
}

/** The `<devices>` children named `name` of a domain XML. */
export function deviceElements(xml: string, name: string): El[] {
  return (childOf(domainOf(xml), 'devices')?.children ?? []).filter((c) => c.name === name);
}

export const renderElement = (el: El): string => renderXmlTree(el);

/** The `<disk>` element whose target is `target`, or undefined. */
export function diskByTarget(xml: string, target: string): El | undefined {
  return deviceElements(xml, 'disk').find((d) => attrOf(childOf(d, 'target') ?? d, 'dev') === target);
}

/** The file or device a disk element reads, or undefined (an empty CD-ROM tray). */
export function diskSource(disk: El): string | undefined {
  const src = childOf(disk, 'source');
  return src ? (attrOf(src, 'file') ?? attrOf(src, 'dev')) : undefined;
}

/** A CD-ROM element with new media (`source`) or an empty tray (undefined). */
export function withMedia(disk: El, source: string | undefined, block: boolean): El {
  const children = disk.children.filter((c) => c.name !== 'source');
  const at = children.findIndex((c) => c.name === 'driver') + 1;
  if (source !== undefined) children.splice(at, 0, node('source', [[block ? 'dev' : 'file', source]]));
  return withAttr({ ...disk, children }, 'type', block ? 'block' : 'file');
}

/** The graphics element with `passwd` set (or removed when `password` is undefined). */
export function withGraphicsPassword(graphics: El, password: string | undefined): El {
  return withAttr(graphics, 'passwd', password);
}

/** Changes the children of `<devices>` (and optionally the domain) and renders the domain back. */
function editDevices(xml: string, edit: (devices: El[]) => El[]): string {
  const domain = domainOf(xml);
  const devices = childOf(domain, 'devices') ?? node('devices');
  const next = { ...devices, children: edit([...devices.children]) };
  const has = domain.children.some((c) => c.name === 'devices');
  return renderXmlTree({
    ...domain,
    children: has
      ? domain.children.map((c) => (c.name === 'devices' ? next : c))
      : [...domain.children, next],
  });
}

/**
 * UpdateGraphic on a definition: the (first) graphics device becomes `type` with the password set
 * or removed (`password: null`) or kept (`undefined`); a SPICE console gets its agent channel.
 */
export function setGraphics(xml: string, type: 'vnc' | 'spice', password: string | null | undefined): string {
  return editDevices(xml, (devs) => {
    const at = devs.findIndex((d) => d.name === 'graphics');
    if (at === -1) throw new ValidationError('the VM has no graphics device to update', 'type');
    const old = devs[at] as El;
    let g: El = {
      ...old,
      attrs: old.attrs.filter(([k]) => k !== 'port' || attrOf(old, 'autoport') !== 'yes'),
    };
    g = withAttr(g, 'type', type);
    if (password !== undefined) g = withAttr(g, 'passwd', password ?? undefined);
    devs[at] = g;
    const spiceChannel = (d: El) => d.name === 'channel' && attrOf(d, 'type') === 'spicevmc';
    const rest = devs.filter((d) => !(type === 'vnc' && spiceChannel(d)));
    if (type === 'spice' && !rest.some(spiceChannel)) {
      rest.push(
        node(
          'channel',
          [['type', 'spicevmc']],
          [
            node('target', [
              ['type', 'virtio'],
              ['name', 'com.redhat.spice.0'],
            ]),
          ],
        ),
      );
    }
    return rest;
  });
}

/** RedirectUsb: exactly `count` SPICE USB redirection channels in the definition (0 removes them). */
export function setSpiceRedirdevs(xml: string, count: number): string {
  return editDevices(xml, (devs) => {
    const kept = devs.filter((d) => !(d.name === 'redirdev' && attrOf(d, 'type') === 'spicevmc'));
    for (let i = 0; i < count; i++)
      kept.push(
        node('redirdev', [
          ['bus', 'usb'],
          ['type', 'spicevmc'],
        ]),
      );
    return kept;
  });
}

/** UpdateOS: the disk `target` reads `file` (format `format`) instead; nothing else changes. */
export function replaceDiskSource(xml: string, target: string, file: string, format: string): string {
  return editDevices(xml, (devs) =>
    devs.map((d) => {
      if (d.name !== 'disk' || attrOf(childOf(d, 'target') ?? d, 'dev') !== target) return d;
      const children = d.children
        .filter((c) => c.name !== 'backingStore')
        .map((c) => {
          if (c.name === 'source') return node('source', [['file', file]]);
          if (c.name === 'driver') return withAttr(c, 'type', format);
          return c;
        });
      return withAttr({ ...d, children }, 'type', 'file');
    }),
  );
}

export interface TopologySpec {
  readonly sockets: number;
  readonly cores: number;
  readonly threads: number;
}

/**
 * ChangeNumberOfCPU with `maximum`: the definition's maximum vCPUs (`<vcpu>`), the current count
 * clamped to it, and the CPU topology when given (libvirt wants sockets×cores×threads = maximum).
 */
export function setMaxVcpus(xml: string, max: number, topology?: TopologySpec): string {
  const domain = domainOf(xml);
  const children = domain.children.map((c) => {
    if (c.name === 'vcpu') {
      const current = Number(attrOf(c, 'current') ?? c.text);
      const v = withAttr({ ...c, text: String(max) }, 'current', current < max ? String(current) : undefined);
      return v;
    }
    if (c.name === 'cpu' && topology) return withTopology(c, topology);
    if (c.name === 'vcpus') return undefined; // per-vCPU hot-plug states no longer match the count
    return c;
  });
  const out = children.filter((c): c is El => c !== undefined);
  if (topology && !out.some((c) => c.name === 'cpu')) out.push(withTopology(node('cpu'), topology));
  return renderXmlTree({ ...domain, children: out });
}

function withTopology(cpu: El, t: TopologySpec): El {
  const topo = node('topology', [
    ['sockets', String(t.sockets)],
    ['cores', String(t.cores)],
    ['threads', String(t.threads)],
  ]);
  return { ...cpu, children: [...cpu.children.filter((c) => c.name !== 'topology'), topo] };
}
