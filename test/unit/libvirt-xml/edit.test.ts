import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBootOrder, setBootOrder } from '../../../src/libvirt/domain-xml/index.js';
import { parseXmlTree } from '../../../src/libvirt/xml/tree.js';
import { renderXmlTree } from '../../../src/libvirt/xml/tree-render.js';
import { domainXmlToJson, type JsonObject } from '../../../src/libvirt/xml-json.js';
import { expectInvalid } from './helpers.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/xml/${name}`, import.meta.url), 'utf8');
const obj = (v: unknown) => v as JsonObject;

describe('renderXmlTree', () => {
  it.each(['q35-inactive.xml', 'q35-live.xml', 'pc-inactive.xml', 'snapshot.xml', 'edge-cases.xml'])(
    'renders %s back to the same tree',
    (name) => {
      const tree = parseXmlTree(fixture(name));
      const again = parseXmlTree(renderXmlTree(tree));
      // Same elements, attributes and non-blank text (indentation may differ).
      const strip = (e: ReturnType<typeof parseXmlTree>): unknown => ({
        name: e.name,
        attrs: e.attrs,
        text: e.text.trim() === '' ? '' : e.text,
        children: e.children.map(strip),
      });
      expect(strip(again)).toEqual(strip(tree));
    },
  );

  it('keeps the spelling of values that JSON would coerce', () => {
    const xml = "<domain><name>0100</name><x a='1e3' b='007'/></domain>";
    expect(renderXmlTree(parseXmlTree(xml))).toBe(
      "<domain>\n  <name>0100</name>\n  <x a='1e3' b='007'/>\n</domain>\n",
    );
  });
});

describe('parseBootOrder', () => {
  it('parses targets in order', () => {
    expect(parseBootOrder('hda,vda')).toEqual(['hda', 'vda']);
  });
  it.each([
    ['hda,hda', "target 'hda' is listed twice"],
    ['hda,cdrom', "item 2 must be a disk target vdX, hdX or sdX (got 'cdrom')"],
    ['', 'order is empty'],
  ])('rejects %j', (input, message) => {
    expectInvalid(() => parseBootOrder(input), 'order', message);
  });
});

describe('setBootOrder', () => {
  const xml = fixture('q35-inactive.xml');

  it('moves the order onto the disks and drops <os><boot>', () => {
    const d = domainXmlToJson(setBootOrder(xml, ['sda', 'vda']));
    expect(obj(d.os).boot).toBeUndefined();
    const disks = (obj(d.devices).disk as JsonObject[]).map((x) => [obj(x.target)._dev, x.boot]);
    expect(disks).toEqual([
      ['vda', { _order: 2 }],
      ['vdb', undefined],
      ['sda', { _order: 1 }],
    ]);
    // Nothing else changed.
    const before = domainXmlToJson(xml);
    const after = domainXmlToJson(setBootOrder(xml, ['sda', 'vda']));
    delete obj(before).os;
    delete obj(after).os;
    for (const x of [before, after]) for (const disk of obj(x.devices).disk as JsonObject[]) delete disk.boot;
    expect(after).toEqual(before);
  });

  it('replaces an earlier per-device order', () => {
    const once = setBootOrder(xml, ['vdb']);
    const twice = domainXmlToJson(setBootOrder(once, ['vda']));
    expect((obj(twice.devices).disk as JsonObject[]).map((x) => x.boot)).toEqual([
      { _order: 1 },
      undefined,
      undefined,
    ]);
  });

  it('rejects a target the VM does not have', () => {
    expectInvalid(
      () => setBootOrder(xml, ['hdz']),
      'order',
      "the VM has no disk 'hdz' (it has vda, vdb, sda)",
    );
  });
});
