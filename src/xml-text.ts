/**
 * XML text for hand-written XML anywhere in the agent (domain, device and snapshot XML): the one
 * escaper, and the one test of whether a libvirt XML names a file. Top level so that every layer
 * (libvirt, storage, executors) shares it.
 */

// XML 1.0 forbids most C0 controls even as character references.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters to reject
const INVALID_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

function checkChars(value: string): void {
  if (INVALID_CHARS.test(value)) throw new TypeError('XML text contains a character XML 1.0 cannot carry');
}

export function escapeXmlText(value: string): string {
  checkChars(value);
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * THE escaper for hand-written XML anywhere in the agent: safe in an attribute value with either
 * quote and in text. Throws a TypeError for characters XML 1.0 cannot carry.
 */
export function escapeXmlAttr(value: string): string {
  checkChars(value);
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

/** True when libvirt XML names `path` as a file or block device (`file=`/`dev=` of a source). */
export function xmlNamesFile(xml: string, path: string): boolean {
  const esc = escapeXmlAttr(path);
  return [`file='${esc}'`, `file="${esc}"`, `dev='${esc}'`, `dev="${esc}"`].some((s) => xml.includes(s));
}
