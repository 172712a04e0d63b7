/**
 * A tiny XML writer: element trees as plain data, rendered with every attribute value and text
 * escaped. Used by the domain XML builders and by jsonToXml. Attributes whose value is undefined
 * are left out, so optional settings need no conditionals at the call site.
 */
import { escapeXmlAttr, escapeXmlText } from '../../xml-text.js';

export type XmlAttrValue = string | number | boolean | undefined;

export interface XmlElement {
  readonly name: string;
  readonly attrs?: Readonly<Record<string, XmlAttrValue>>;
  /** Child elements; `undefined`/`false`/`null` entries are skipped. */
  readonly children?: ReadonlyArray<XmlElement | undefined | false | null>;
  readonly text?: string | number;
}

/** Builds an element; `children` may contain falsy entries for conditional parts. */
export function el(
  name: string,
  attrs: Readonly<Record<string, XmlAttrValue>> = {},
  children: ReadonlyArray<XmlElement | undefined | false | null> | string | number = [],
): XmlElement {
  return typeof children === 'string' || typeof children === 'number'
    ? { name, attrs, text: children }
    : { name, attrs, children };
}

const NAME = /^[A-Za-z_][A-Za-z0-9._:-]*$/;

function checkName(name: string): void {
  if (!NAME.test(name)) throw new TypeError(`invalid XML name '${name}'`);
}

function attrString(value: Exclude<XmlAttrValue, undefined>): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

/**
 * Renders an element, indented by two spaces per level with one element per line — except inside
 * an element that has both text and children, which is written without added whitespace so that
 * its text survives exactly.
 */
export function renderXml(node: XmlElement, depth = 0): string {
  return render(node, depth, false);
}

function render(node: XmlElement, depth: number, compact: boolean): string {
  checkName(node.name);
  const pad = compact ? '' : '  '.repeat(depth);
  const nl = compact ? '' : '\n';
  let attrs = '';
  for (const [key, value] of Object.entries(node.attrs ?? {})) {
    if (value === undefined) continue;
    checkName(key);
    attrs += ` ${key}='${escapeXmlAttr(attrString(value))}'`;
  }
  const children = (node.children ?? []).filter((c): c is XmlElement => Boolean(c));
  const text = node.text === undefined ? '' : escapeXmlText(String(node.text));
  if (children.length === 0) {
    return text === ''
      ? `${pad}<${node.name}${attrs}/>${nl}`
      : `${pad}<${node.name}${attrs}>${text}</${node.name}>${nl}`;
  }
  if (text !== '' && !compact) {
    const inner = children.map((c) => render(c, 0, true)).join('');
    return `${pad}<${node.name}${attrs}>${text}${inner}</${node.name}>\n`;
  }
  const inner = children.map((c) => render(c, depth + 1, compact)).join('');
  return `${pad}<${node.name}${attrs}>${text}${nl}${inner}${pad}</${node.name}>${nl}`;
}
