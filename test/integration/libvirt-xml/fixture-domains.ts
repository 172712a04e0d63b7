/**
 * The domains behind the golden XML fixtures (test/fixtures/xml/): built with our builder from the
 * documented parameters, defined on the real libvirtd, dumped. Shared by the recorder
 * (record-fixtures.ts) and the integration test.
 */
import {
  buildDomainXml,
  type DomainSpec,
  type DomainSpecOptions,
  domainSpecFromParams,
} from '../../../src/libvirt/domain-xml/index.js';

export interface FixtureImages {
  /** qcow2 system disk */
  readonly system: string;
  /** raw data disk */
  readonly data: string;
  /** a (blank) ISO */
  readonly iso: string;
}

/** A q35/virtio guest (centos7.0) with two disks, an install ISO, a NIC on a Linux bridge and VNC. */
export function q35Spec(
  name: string,
  images: FixtureImages,
  bridge: string,
  opts: Partial<DomainSpecOptions> = {},
): DomainSpec {
  return domainSpecFromParams(
    {
      metadata: 'uuid=8d1c4e5a-1f2b-4c3d-9e8f-0a1b2c3d4e5f',
      graphics: 'vnc,listen=0.0.0.0,password=ks-pass1',
      disk: `${images.system},format=qcow2,read_bytes_sec=1024000000,write_bytes_sec=1024000000 --disk ${images.data},format=raw,cache=none`,
      cdrom: images.iso,
      memory: '128',
      // No bandwidth here: the test bed's kernel has no sfq qdisc, so a NIC with QoS cannot start.
      network: `type=bridge,source=${bridge},mac=52:54:00:6b:73:01`,
      os_variant: 'centos7.0',
      vcpus: '2,cpuset=0-1,maxvcpus=4,sockets=1,cores=2,threads=2',
      cputune: 'vcpupin0.vcpu=0,vcpupin0.cpuset=0,vcpupin1.vcpu=1,shares=1024',
      boot: 'hd,cdrom',
      noautoconsole: true,
    },
    { name, nodeVirtType: 'kvm', random: () => 0.25, ...opts },
  );
}

/** An i440fx guest without virtio (winxp): IDE disks, e1000 with QoS on an OVS bridge, SPICE, USB redirection. */
export function pcSpec(name: string, images: FixtureImages, ovsBridge: string): DomainSpec {
  return domainSpecFromParams(
    {
      graphics: 'spice,listen=127.0.0.1',
      disk: `${images.system} --disk ${images.iso},device=cdrom,perms=ro`,
      memory: '256',
      network: `type=l2bridge,source=${ovsBridge},mac=52:54:00:6b:73:02,inbound=102400,outbound=51200`,
      os_variant: 'winxp',
      vcpus: '1',
      redirdev: 'usb,type=spicevmc',
      livecd: 'true',
      virt_type: 'qemu',
      noautoconsole: true,
    },
    { name, nodeVirtType: 'kvm' },
  );
}

/** One qcow2 disk only, so an inactive domain can take an internal snapshot. */
export function snapshotSpec(name: string, system: string): DomainSpec {
  return domainSpecFromParams(
    {
      graphics: 'vnc,listen=0.0.0.0',
      disk: `${system},format=qcow2,target=vda`,
      memory: '128',
      network: 'type=bridge,source=virbr0,mac=52:54:00:6b:73:03',
      os_variant: 'debian11',
      vcpus: '1',
      noautoconsole: true,
    },
    { name, nodeVirtType: 'kvm' },
  );
}

export { buildDomainXml };
