import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KubestackError } from '../../../src/errors.js';
import { renderXml, type XmlElement } from '../../../src/libvirt/xml/render.js';
import {
  coerceValue,
  domainXmlToJson,
  type JsonObject,
  jsonToXml,
  renameKey,
  snapshotXmlToJson,
  unrenameKey,
  xmlToJson,
} from '../../../src/libvirt/xml-json.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/xml/${name}`, import.meta.url), 'utf8');
const golden = (name: string) => JSON.parse(fixture(name)) as JsonObject;

describe('golden: XML from the real libvirtd → the old daemon’s JSON, exactly', () => {
  // *.xml were dumped by libvirtd from domains our builder defined; *.old.json were produced from
  // them by the old daemon's pipeline (badgerfish + replacements + forced lists, see old-pipeline.py).
  it.each(['q35-inactive', 'q35-live', 'pc-inactive'])('%s', (name) => {
    expect(domainXmlToJson(fixture(`${name}.xml`))).toEqual(golden(`${name}.old.json`));
  });

  it('snapshot', () => {
    const json = snapshotXmlToJson(fixture('snapshot.xml'));
    expect(json).toEqual(golden('snapshot.old.json'));
    expect(Array.isArray((json.disks as JsonObject).disk)).toBe(true);
  });

  it('the shape clients read', () => {
    const d = domainXmlToJson(fixture('q35-live.xml'));
    expect(d.name).toEqual({ text: 'ks-xml-rec-q35' });
    expect(typeof (d.vcpu as JsonObject).text).toBe('number');
    expect(typeof (d.currentMemory as JsonObject).text).toBe('number');
    expect((d.features as JsonObject).acpi).toEqual({});
    const devices = d.devices as JsonObject;
    for (const key of [
      'disk',
      '_interface',
      'controller',
      'serial',
      'console',
      'graphics',
      'input',
      'video',
      'channel',
    ]) {
      expect(Array.isArray(devices[key]), key).toBe(true);
    }
    expect(Array.isArray((d.os as JsonObject).boot)).toBe(true);
    expect(Array.isArray((d.cputune as JsonObject).vcpupin)).toBe(true);
  });
});

describe('edge cases against the old pipeline', () => {
  const ours = domainXmlToJson(fixture('edge-cases.xml'));
  const old = golden('edge-cases.old.json');

  it('matches except where the old daemon corrupted data', () => {
    const meta = '{http://kubestack.io/xml/1}note';
    // Deliberate differences (defects of the old daemon): values are never rewritten …
    expect(((old.metadata as JsonObject)[meta] as JsonObject)._value).toBe(
      'an _interface_host is _transient, costs text5',
    );
    expect(((ours.metadata as JsonObject)[meta] as JsonObject)._value).toBe(
      'an interface@host is transient, costs $5',
    );
    // … and integers beyond 2^53 keep their digits as a string instead of being rounded.
    expect((ours.numbers as JsonObject)._big).toBe('123456789012345678901');
    const patched = structuredClone(old);
    ((patched.metadata as JsonObject)[meta] as JsonObject)._value =
      'an interface@host is transient, costs $5';
    (patched.numbers as JsonObject)._big = '123456789012345678901';
    expect(ours).toEqual(patched);
  });

  it('renames keys like the old daemon', () => {
    const devices = ours.devices as JsonObject;
    const nics = devices._interface as JsonObject[];
    const nic = nics[0] as JsonObject;
    expect(((nic.virtualport as JsonObject).parameters as JsonObject).__interfaceid).toBeDefined();
    expect((devices.disk as JsonObject[])[0]?._transient).toEqual({});
    expect(Object.keys(ours.pm as JsonObject)).toEqual(['suspend_to_disk', 'suspend_to_mem']);
    expect(ours['{http://libvirt.org/schemas/domain/qemu/1.0}commandline']).toEqual({
      '{http://libvirt.org/schemas/domain/qemu/1.0}arg': { _value: '-no-hpet' },
    });
  });

  it('keeps only the leading text of mixed content, and CDATA as text', () => {
    expect(ours.mixed).toEqual({ text: 'lead', b: { text: 'bold' } });
    expect(ours.cdata).toEqual({ text: '<raw> & stuff' });
    expect(ours.entities).toEqual({ _amp: 'a & b', _lt: '<x>', _quote: 'say "hi"', text: 'text & more A' });
  });
});

describe('coerceValue (xmljson semantics)', () => {
  it.each([
    ['true', true],
    ['FALSE', false],
    ['5900', 5900],
    ['-1', -1],
    ['007', 7],
    [' 42 ', 42],
    ['+5', 5],
    ['1_000', 1000],
    ['-0', 0],
    ['1.10', 1.1],
    ['1e3', 1000],
    ['.5', 0.5],
    ['5.', 5],
    ['1e400', '1e400'],
    ['inf', 'inf'],
    ['nan', 'nan'],
    ['0x00', '0x00'],
    ['1__0', '1__0'],
    ['_1', '_1'],
    ['52:54:00:00:00:01', '52:54:00:00:00:01'],
    ['950646e8-c17a-49d0-b83c-1c797811e001', '950646e8-c17a-49d0-b83c-1c797811e001'],
    ['yes', 'yes'],
    ['', ''],
    ['9007199254740993', '9007199254740993'],
  ])('%j → %j', (input, expected) => {
    expect(coerceValue(input)).toEqual(expected);
  });
});

describe('key renames', () => {
  it.each([
    ['interface', '_interface'],
    ['_interfaceid', '__interfaceid'],
    ['transient', '_transient'],
    ['nested-hv', 'nested_hv'],
    ['suspend-to-mem', 'suspend_to_mem'],
    ['suspend-to-disk', 'suspend_to_disk'],
    ['on_poweroff', 'on_poweroff'],
    ['_type', '_type'],
  ])('%s ⇄ %s', (name, key) => {
    expect(renameKey(name)).toBe(key);
    expect(unrenameKey(key)).toBe(name);
  });
});

describe('forced lists', () => {
  it('wraps single values, leaves empty ones, and walks lists met on the way', () => {
    const xml = `<domain><os><boot dev='hd'/></os><devices><hub/><disk type='file'/></devices>
      <sysinfo type='smbios'><system><entry name='a'>1</entry></system></sysinfo>
      <sysinfo type='fwcfg'><system><entry name='b'>2</entry></system></sysinfo></domain>`;
    const d = domainXmlToJson(xml);
    expect((d.os as JsonObject).boot).toEqual([{ _dev: 'hd' }]);
    expect((d.devices as JsonObject).disk).toEqual([{ _type: 'file' }]);
    // Python truthiness: an empty {} was never wrapped.
    expect((d.devices as JsonObject).hub).toEqual({});
    // Two <sysinfo>: the old daemon crashed here; each one gets its lists.
    expect((d.sysinfo as JsonObject[]).map((s) => (s.system as JsonObject).entry)).toEqual([
      [{ _name: 'a', text: 1 }],
      [{ _name: 'b', text: 2 }],
    ]);
  });
});

describe('errors', () => {
  it('rejects malformed XML and the wrong root', () => {
    expect(() => domainXmlToJson('<domain><name>x</domain>')).toThrow(KubestackError);
    expect(() => domainXmlToJson(fixture('snapshot.xml'))).toThrow(
      'expected <domain> XML, got <domainsnapshot>',
    );
    expect(() => snapshotXmlToJson('<domain/>')).toThrow('expected <domainsnapshot> XML');
    expect(() => domainXmlToJson('<domain><q:x/></domain>')).toThrow(/undeclared namespace prefix 'q'/);
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]><domain>&b;</domain>';
    expect(() => domainXmlToJson(bomb)).toThrow('XML with a DOCTYPE is not accepted');
  });
});

describe('jsonToXml', () => {
  it.each(['q35-inactive', 'q35-live', 'pc-inactive', 'edge-cases'])('round-trips %s', (name) => {
    const json = domainXmlToJson(fixture(`${name}.xml`));
    expect(domainXmlToJson(jsonToXml(json))).toEqual(json);
  });

  it('round-trips a snapshot', () => {
    const json = snapshotXmlToJson(fixture('snapshot.xml'));
    expect(snapshotXmlToJson(jsonToXml(json, 'domainsnapshot'))).toEqual(json);
  });

  it('writes attributes, text, lists, renamed and namespaced keys back', () => {
    const xml = jsonToXml({
      _type: 'kvm',
      name: { text: 'a<b' },
      devices: { _interface: [{ _type: 'bridge', virtualport: { parameters: { __interfaceid: 'x' } } }] },
      '{http://libvirt.org/schemas/domain/qemu/1.0}commandline': {
        '{http://libvirt.org/schemas/domain/qemu/1.0}arg': [{ _value: '-a' }, { _value: '-b' }],
      },
      features: { acpi: {}, pae: null },
      vcpu: { text: 2, _placement: 'static' },
      flag: { _on: true },
    });
    expect(xml).toContain("<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>");
    expect(xml).toContain('<name>a&lt;b</name>');
    expect(xml).toContain("<parameters interfaceid='x'/>");
    expect(xml).toContain("<interface type='bridge'>");
    expect(xml).toContain("<qemu:arg value='-a'/>");
    expect(xml).toContain("<qemu:arg value='-b'/>");
    expect(xml).toContain('<acpi/>');
    expect(xml).toContain('<pae/>');
    expect(xml).toContain("<vcpu placement='static'>2</vcpu>");
    expect(xml).toContain("<flag on='true'/>");
  });
});

describe('round-trip property: XML → JSON → XML → JSON is stable', () => {
  const names = [
    'disk',
    'interface',
    'transient',
    'nested-hv',
    'suspend-to-mem',
    'on_poweroff',
    'target',
    'interfaces',
    'a',
    'b',
  ];
  const attrNames = ['type', 'dev', 'interfaceid', 'transient', 'name', 'x'];
  // Printable text that XML 1.0 can carry (no C0 controls other than tab/newline).
  const value = fc.oneof(
    fc.string({
      unit: fc.constantFrom(
        'a',
        'Z',
        '0',
        '9',
        '.',
        '-',
        '_',
        ' ',
        '&',
        '<',
        '>',
        '"',
        "'",
        '@',
        '$',
        '\t',
        '\n',
        'é',
        '中',
      ),
    }),
    fc.integer().map(String),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
    fc.constantFrom('true', 'False', '007', '1e3', '0x1f', '', '  ', 'interface', '1_0'),
  );
  const treeAt = (depth: number): fc.Arbitrary<XmlElement> =>
    fc.record({
      name: fc.constantFrom(...names),
      attrs: fc.dictionary(fc.constantFrom(...attrNames), value, { maxKeys: 3 }),
      text: fc.option(value, { nil: undefined }),
      children: depth === 0 ? fc.constant([]) : fc.array(treeAt(depth - 1), { maxLength: 3 }),
    });
  const tree = treeAt(3);

  it('holds for generated documents', () => {
    fc.assert(
      fc.property(tree, (root) => {
        const xml = renderXml({ ...root, name: 'domain' });
        const json1 = xmlToJson(xml);
        const json2 = xmlToJson(jsonToXml(json1));
        expect(json2).toEqual(json1);
      }),
      { numRuns: 500 },
    );
  });
});
