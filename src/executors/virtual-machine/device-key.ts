/**
 * How a device of a domain XML is recognised again (in the live XML after a hot-unplug request):
 * a disk by its target, a NIC by its MAC, a host device by its source address, others by kind and
 * type. A pure function of the element.
 */
import { attrOf, deviceElements } from '../../libvirt/domain-xml/index.js';
import type { XmlTreeElement } from '../../libvirt/xml/tree.js';
import { renderXmlTree } from '../../libvirt/xml/tree-render.js';

const child = (el: XmlTreeElement, name: string) => el.children.find((c) => c.name === name);

export function deviceKey(el: XmlTreeElement): string {
  if (el.name === 'disk') return `disk:${attrOf(child(el, 'target') ?? el, 'dev')}`;
  if (el.name === 'interface') return `interface:${attrOf(child(el, 'mac') ?? el, 'address')?.toLowerCase()}`;
  if (el.name === 'hostdev') {
    const addr = child(child(el, 'source') ?? el, 'address');
    const norm = (v: string | undefined) => (v === undefined ? '' : String(Number.parseInt(v, 16)));
    const parts = addr
      ? ['domain', 'bus', 'slot', 'function', 'device'].map((k) => norm(attrOf(addr, k)))
      : [];
    return `hostdev:${attrOf(el, 'type')}:${parts.join(':')}`;
  }
  const bare = { ...el, children: el.children.filter((c) => c.name !== 'address' && c.name !== 'alias') };
  return `${el.name}:${renderXmlTree(bare)}`;
}

/** The devices of `xml` that have the same key as `el`. */
export function sameDevices(xml: string, el: XmlTreeElement): XmlTreeElement[] {
  const key = deviceKey(el);
  return deviceElements(xml, el.name).filter((d) => deviceKey(d) === key);
}
