/**
 * Edits of existing domain XML (as libvirt returns it) on the lossless element tree, never through
 * the JSON shape: values keep their spelling and siblings their order.
 */
import { KubestackError, ValidationError } from '../../errors.js';
import { parseXmlTree, type XmlTreeElement } from '../xml/tree.js';
import { renderXmlTree } from '../xml/tree-render.js';

function attr(el: XmlTreeElement, name: string): string | undefined {
  return el.attrs.find(([k]) => k === name)?.[1];
}

function child(el: XmlTreeElement, name: string): XmlTreeElement | undefined {
  return el.children.find((c) => c.name === name);
}

function parseDomain(xml: string): XmlTreeElement {
  const root = parseXmlTree(xml);
  if (root.name !== 'domain')
    throw new KubestackError('Internal', `expected <domain> XML, got <${root.name}>`);
  return root;
}

/** Devices that may carry a per-device `<boot order>`. */
const BOOTABLE = new Set(['disk', 'interface', 'hostdev', 'redirdev']);

/**
 * SetBootOrder: boot from the disks with these targets, in this order (per-device `<boot order>`;
 * the `<os><boot dev>` list is removed, as libvirt allows only one of the two). Every target must
 * exist, else a ValidationError for `field`.
 */
export function setBootOrder(xml: string, targets: readonly string[], field = 'order'): string {
  const domain = parseDomain(xml);
  const devices = child(domain, 'devices');
  const known = new Set(
    (devices?.children ?? [])
      .filter((c) => c.name === 'disk')
      .map((d) => (child(d, 'target') ? attr(child(d, 'target') as XmlTreeElement, 'dev') : undefined))
      .filter((t): t is string => t !== undefined),
  );
  for (const t of targets) {
    if (!known.has(t)) {
      throw new ValidationError(
        `the VM has no disk '${t}' (it has ${[...known].join(', ') || 'none'})`,
        field,
      );
    }
  }
  const withoutBoot = (el: XmlTreeElement): XmlTreeElement => ({
    ...el,
    children: el.children.filter((c) => c.name !== 'boot'),
  });
  const newDevices = devices && {
    ...devices,
    children: devices.children.map((dev) => {
      if (!BOOTABLE.has(dev.name)) return dev;
      const cleaned = withoutBoot(dev);
      const dev_ = dev.name === 'disk' ? attr(child(dev, 'target') ?? dev, 'dev') : undefined;
      const index = dev_ === undefined ? -1 : targets.indexOf(dev_);
      if (index === -1) return cleaned;
      const boot: XmlTreeElement = {
        name: 'boot',
        attrs: [['order', String(index + 1)]],
        text: '',
        children: [],
      };
      return { ...cleaned, children: [...cleaned.children, boot] };
    }),
  };
  const newDomain: XmlTreeElement = {
    ...domain,
    children: domain.children.map((c) => {
      if (c.name === 'os') return withoutBoot(c);
      if (c.name === 'devices' && newDevices) return newDevices;
      return c;
    }),
  };
  return renderXmlTree(newDomain);
}
