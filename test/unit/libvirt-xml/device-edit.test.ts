import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildHostdevXml,
  deviceElements,
  diskByTarget,
  diskSource,
  renderElement,
  replaceDiskSource,
  setGraphics,
  setMaxVcpus,
  setSpiceRedirdevs,
  withGraphicsPassword,
  withMedia,
} from '../../../src/libvirt/domain-xml/index.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/xml/${name}`, import.meta.url), 'utf8');
const live = fixture('q35-live.xml');
const inactive = fixture('q35-inactive.xml');

describe('device edits on libvirt XML', () => {
  it('a CD-ROM gets new media or an empty tray, keeping its target and address', () => {
    const cd = deviceElements(live, 'disk').find((d) =>
      d.attrs.some(([k, v]) => k === 'device' && v === 'cdrom'),
    );
    expect(cd).toBeDefined();
    const inserted = renderElement(withMedia(cd as never, '/var/lib/libvirt/iso/new.iso', false));
    expect(inserted).toContain("<source file='/var/lib/libvirt/iso/new.iso'/>");
    expect(inserted).toMatch(/<target dev='[a-z]+'/);
    const ejected = withMedia(cd as never, undefined, false);
    expect(diskSource(ejected)).toBeUndefined();
  });

  it('the graphics password is set and removed on the element libvirt returned', () => {
    const g = deviceElements(live, 'graphics')[0];
    expect(g).toBeDefined();
    expect(renderElement(withGraphicsPassword(g as never, 'abcd'))).toMatch(/passwd='abcd'/);
    expect(renderElement(withGraphicsPassword(g as never, undefined))).not.toMatch(/passwd=/);
  });

  it('updateGraphic turns VNC into SPICE with its channel, and back', () => {
    const spice = setGraphics(inactive, 'spice', 'pw-1234');
    expect(deviceElements(spice, 'graphics')[0]?.attrs).toContainEqual(['type', 'spice']);
    expect(deviceElements(spice, 'channel').some((c) => c.attrs.some(([, v]) => v === 'spicevmc'))).toBe(
      true,
    );
    const vnc = setGraphics(spice, 'vnc', null);
    expect(deviceElements(vnc, 'channel').some((c) => c.attrs.some(([, v]) => v === 'spicevmc'))).toBe(false);
    expect(renderElement(deviceElements(vnc, 'graphics')[0] as never)).not.toMatch(/passwd=/);
  });

  it('redirectUsb: exactly N spicevmc redirdevs', () => {
    expect(deviceElements(setSpiceRedirdevs(inactive, 3), 'redirdev')).toHaveLength(3);
    expect(deviceElements(setSpiceRedirdevs(setSpiceRedirdevs(inactive, 3), 0), 'redirdev')).toHaveLength(0);
  });

  it('the maximum vCPUs and the topology', () => {
    const xml = setMaxVcpus(inactive, 4, { sockets: 1, cores: 2, threads: 2 });
    expect(xml).toMatch(/<vcpu[^>]*>4<\/vcpu>/);
    expect(xml).toMatch(/<topology sockets='1' cores='2' threads='2'\/>/);
  });

  it('updateOS points one disk at a new file', () => {
    const target = deviceElements(inactive, 'disk')
      .map((d) => d.children.find((c) => c.name === 'target')?.attrs.find(([k]) => k === 'dev')?.[1])
      .find(Boolean) as string;
    const xml = replaceDiskSource(inactive, target, '/var/lib/libvirt/images/new-os.qcow2', 'qcow2');
    expect(diskSource(diskByTarget(xml, target) as never)).toBe('/var/lib/libvirt/images/new-os.qcow2');
  });

  it('host devices by PCI or USB address', () => {
    const pci = buildHostdevXml({ type: 'pci', bus: 1, slot: 0, function: 0 });
    expect(pci).toContain("<hostdev mode='subsystem' type='pci' managed='yes'>");
    expect(pci).toContain("<address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>");
    expect(buildHostdevXml({ type: 'usb', bus: 1, device: 3 })).toContain("<address bus='1' device='3'/>");
  });
});
