/**
 * XmlTreeElement (as parsed by parseXmlTree) → XML text, so XML from libvirt can be edited without
 * the lossy JSON step (numbers keep their spelling, sibling order is kept). `{uri}local` names get
 * prefixes declared on the root (`qemu:` for libvirt's QEMU namespace).
 */
import { renderXml, type XmlElement } from './render.js';
import type { XmlTreeElement } from './tree.js';

const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/** Assigns prefixes to namespace URIs met in `{uri}local` names. */
export class NamespacePrefixes {
  readonly byUri = new Map<string, string>();

  name(qualified: string): string {
    const m = /^\{([^}]*)\}(.+)$/.exec(qualified);
    if (!m) return qualified;
    const uri = m[1] as string;
    if (uri === XML_NS) return `xml:${m[2]}`;
    let prefix = this.byUri.get(uri);
    if (prefix === undefined) {
      const taken = new Set(this.byUri.values());
      const wanted = /\/schemas\/domain\/qemu\//.test(uri) ? 'qemu' : `ns${this.byUri.size}`;
      prefix = taken.has(wanted) ? `ns${this.byUri.size}` : wanted;
      this.byUri.set(uri, prefix);
    }
    return `${prefix}:${m[2]}`;
  }

  declarations(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [uri, prefix] of this.byUri) out[`xmlns:${prefix}`] = uri;
    return out;
  }
}

function toElement(node: XmlTreeElement, ns: NamespacePrefixes): XmlElement {
  const attrs: Record<string, string> = {};
  for (const [k, v] of node.attrs) attrs[ns.name(k)] = v;
  const text = node.text.trim() === '' ? undefined : node.text;
  return {
    name: ns.name(node.name),
    attrs,
    children: node.children.map((c) => toElement(c, ns)),
    ...(text === undefined ? {} : { text }),
  };
}

export function renderXmlTree(root: XmlTreeElement): string {
  const ns = new NamespacePrefixes();
  const element = toElement(root, ns);
  return renderXml({ ...element, attrs: { ...element.attrs, ...ns.declarations() } });
}
