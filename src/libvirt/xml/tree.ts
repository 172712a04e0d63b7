/**
 * XML text → a small ordered element tree, the way Python's ElementTree sees it: namespaced names
 * as `{uri}local`, `xmlns` declarations dropped, comments and processing instructions ignored,
 * `text` = the character data (CDATA included) before the first child element, tails kept per child.
 * fast-xml-parser does the tokenizing; this module only reshapes its ordered output.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { KubestackError } from '../../errors.js';

export interface XmlTreeElement {
  readonly name: string;
  readonly attrs: ReadonlyArray<readonly [string, string]>;
  /** Leading character data ('' if none). */
  readonly text: string;
  readonly children: readonly XmlTreeElement[];
}

const XML_NS = 'http://www.w3.org/XML/1998/namespace';

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  allowBooleanAttributes: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: '#comment',
  cdataPropName: '#cdata',
});

type OrderedNode = Record<string, unknown>;

function qualify(name: string, scope: ReadonlyMap<string, string>, isAttr: boolean): string {
  const colon = name.indexOf(':');
  if (colon === -1) {
    // Unprefixed attributes are in no namespace; unprefixed elements take the default one.
    const ns = isAttr ? undefined : scope.get('');
    return ns ? `{${ns}}${name}` : name;
  }
  const prefix = name.slice(0, colon);
  const uri = prefix === 'xml' ? XML_NS : scope.get(prefix);
  if (uri === undefined)
    throw new KubestackError('Internal', `XML uses an undeclared namespace prefix '${prefix}'`);
  return `{${uri}}${name.slice(colon + 1)}`;
}

function textOf(node: OrderedNode): string {
  if (typeof node['#text'] === 'string') return node['#text'];
  const cdata = node['#cdata'];
  if (Array.isArray(cdata)) return cdata.map((c) => textOf(c as OrderedNode)).join('');
  return '';
}

function convert(node: OrderedNode, parentScope: ReadonlyMap<string, string>): XmlTreeElement {
  const name = Object.keys(node).find((k) => k !== ':@') as string;
  const rawAttrs = (node[':@'] ?? {}) as Record<string, string>;
  let scope = parentScope;
  for (const [k, v] of Object.entries(rawAttrs)) {
    if (k === 'xmlns' || k.startsWith('xmlns:')) {
      if (scope === parentScope) scope = new Map(parentScope);
      (scope as Map<string, string>).set(k === 'xmlns' ? '' : k.slice(6), v);
    }
  }
  const attrs: [string, string][] = [];
  for (const [k, v] of Object.entries(rawAttrs)) {
    if (k === 'xmlns' || k.startsWith('xmlns:')) continue;
    attrs.push([qualify(k, scope, true), String(v)]);
  }
  let text = '';
  let seenChild = false;
  const children: XmlTreeElement[] = [];
  for (const child of (node[name] ?? []) as OrderedNode[]) {
    if ('#text' in child || '#cdata' in child) {
      if (!seenChild) text += textOf(child);
      continue;
    }
    if ('#comment' in child) continue;
    seenChild = true;
    children.push(convert(child, scope));
  }
  return { name: qualify(name, scope, false), attrs, text, children };
}

/** Parses one XML document into its root element. Malformed XML is an Internal error (libvirt wrote it). */
export function parseXmlTree(xml: string): XmlTreeElement {
  // libvirt never writes a DOCTYPE; refusing one rules out entity-expansion tricks.
  if (/<!DOCTYPE/i.test(xml)) throw new KubestackError('Internal', 'XML with a DOCTYPE is not accepted');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new KubestackError('Internal', `malformed XML: ${valid.err.msg} (line ${valid.err.line})`);
  }
  const nodes = parser.parse(xml) as OrderedNode[];
  const roots = nodes.filter((n) => !('#text' in n) && !('#comment' in n));
  const root = roots[0];
  if (!root || roots.length !== 1)
    throw new KubestackError('Internal', 'XML must have exactly one root element');
  return convert(root, new Map());
}
