/**
 * The reviewed mapping from the API document's constraint texts to schema primitives.
 *
 * Resolution order for one parameter (see resolve.ts): an entry for `Operation.param` in OVERRIDES;
 * a documented Boolean type → bool; the constraint text in BY_CONSTRAINT; the parameter name in
 * BY_NAME. A parameter none of these covers fails the generator, so every constraint is reviewed.
 * Where the document's example is prose or contradicts its own constraint, `example` holds a corrected
 * literal and the generated schema keeps the document's text in `x-ks-doc-example`.
 */

export type Rule =
  | { kind: 'name'; min?: number; max?: number }
  | { kind: 'path' }
  | { kind: 'bool' }
  | { kind: 'int'; min: number; max: number }
  | { kind: 'size'; unit: 'B' | 'KiB' | 'MiB'; min: number; max: number }
  | { kind: 'oneOf'; values: readonly string[] }
  | { kind: 'mac' }
  | { kind: 'ipv4' }
  | { kind: 'ipv4Cidr'; prefix: 'optional' | 'required' }
  | { kind: 'host' }
  | { kind: 'checked'; check: string; pattern?: string; coerce?: 'lowercase' | 'unquote' }
  | { kind: 'text'; pattern?: string; minLength?: number; maxLength?: number };

export interface Entry {
  readonly rule: Rule;
  /** English reading of the documented constraint. */
  readonly gloss: string;
  /** A corrected literal example (the document's is prose or breaks the constraint). */
  readonly example?: unknown;
  readonly secret?: boolean;
}

const NAME: Entry = { rule: { kind: 'name' }, gloss: '4–100 characters of [a-z0-9.-]' };
const POOL_NAME: Entry = {
  rule: { kind: 'name' },
  gloss: 'an existing pool: 4–100 characters of [a-z0-9.-]',
};
const VM_NAME: Entry = { rule: { kind: 'name' }, gloss: 'an existing VM: 4–100 characters of [a-z0-9.-]' };
const PATH: Entry = {
  rule: { kind: 'path' },
  gloss:
    'an absolute path under /var/lib/libvirt, /mnt/localfs or /mnt/usb (after resolving ..), 18–1024 characters of [A-Za-z0-9._-] segments',
};
const TARGET: Entry = {
  rule: { kind: 'text', pattern: '^(vd|hd|sd)[a-z]{1,2}$' },
  gloss: 'a guest disk target: vdX, hdX or sdX',
};
const MAC: Entry = { rule: { kind: 'mac' }, gloss: 'a MAC address in lower case, not starting with fe' };
const IP: Entry = { rule: { kind: 'ipv4' }, gloss: 'an IPv4 address' };
const PASSWORD: Entry = {
  rule: { kind: 'text', pattern: '^[a-z0-9-]{4,16}$' },
  gloss: '4–16 characters of lower-case letters, digits and -',
  secret: true,
};
const BYTES_SEC: Entry = {
  rule: { kind: 'int', min: 0, max: 9999999999 },
  gloss: 'an integer 0–9999999999',
  example: '1073741824',
};
const NIC_BW: Entry = {
  rule: { kind: 'int', min: 0, max: 99999999 },
  gloss: 'KiB/s, an integer 0–99999999',
  example: '1024000',
};
const VLAN: Entry = { rule: { kind: 'int', min: 0, max: 4094 }, gloss: 'a VLAN id 0–4094' };
const FS_TYPES = (values: readonly string[]): Entry => ({
  rule: { kind: 'oneOf', values },
  gloss: `one of ${values.join(', ')}`,
});
const RAM_KIB: Entry = {
  rule: { kind: 'size', unit: 'KiB', min: 102400, max: 104857600 },
  gloss: '100 MiB to 100 GiB, in KiB (or with a unit suffix such as 1G)',
  example: '1048576',
};

/** Keyed by the constraint text, verbatim. */
export const BY_CONSTRAINT: Readonly<Record<string, Entry>> = {
  'uuid=<UUID>，UUID是字符串类型，长度是12到36位，只允许数字、小写字母、中划线、以及圆点': {
    rule: { kind: 'checked', check: 'metadata' },
    gloss: 'uuid=<UUID>, the UUID 12–36 characters of [a-z0-9.-]',
  },
  '取值范围：<vnc/spice,listen=0.0.0.0>,password=xxx（<必填>，选填），密码为4-16位，是小写字母、数字和中划线组合':
    {
      rule: { kind: 'checked', check: 'graphics' },
      gloss: 'vnc|spice,listen=<ip>[,password=<4–16 of [a-z0-9-]>]',
      secret: true, // it carries the VNC/SPICE password
    },
  '取值范围：100~99999': { rule: { kind: 'int', min: 100, max: 99999 }, gloss: 'MiB, an integer 100–99999' },
  '取值范围：kvm, xen': {
    // qemu (TCG) added: the node falls back to it where KVM cannot run a guest (see Services.virtType).
    rule: { kind: 'oneOf', values: ['kvm', 'xen', 'qemu'] },
    gloss: 'kvm or xen (qemu accepted too, for TCG hosts)',
  },
  hd: {
    rule: { kind: 'checked', check: 'boot', pattern: '^(hd|cdrom|network|fd)(,(hd|cdrom|network|fd))*$' },
    gloss: 'boot devices: hd, cdrom (network, fd), comma-separated',
    example: 'cdrom',
  },
  '协议,类型=，服务器=IP：端口': {
    rule: { kind: 'checked', check: 'redirdev' },
    gloss: 'usb,type=tcp,server=<ip>:<port>',
  },
  '参考https://tower.im/teams/616100/repository_documents/3550/': {
    rule: { kind: 'checked', check: 'osVariant', pattern: '^[a-z][a-z0-9._-]{1,63}$' },
    gloss: 'an osinfo short id such as centos7.0',
  },
  '约束条件：最大vcpu数量=cpu核数×cpu插槽数×cpu线程数': {
    rule: { kind: 'int', min: 1, max: 999 },
    gloss: 'an integer 1–999; maximum vCPUs = cores × sockets × threads',
  },
  '路径必须在/var/lib/libvirt下，18-1024位，只允许小写、字母、中划线和圆点': PATH,
  '参考virt-install中的--cputune参数': {
    rule: { kind: 'checked', check: 'cputune' },
    gloss: 'virt-install --cputune syntax, e.g. vcpupin0.vcpu=0,vcpupin0.cpuset=1',
  },
  mac地址不能以fe开头: MAC,
  虚拟机的mac地址: MAC,
  '目标主机的服务url，主机之间需要提前配置免密登录': {
    rule: { kind: 'host' },
    gloss: 'the target host (IPv4 address or DNS name); passwordless SSH between hosts is required',
  },
  云主机存储迁移: {
    rule: { kind: 'checked', check: 'migrateDisks' },
    gloss: 'disk=<path>,pool=<pool>[;disk=…,pool=…]',
  },
  '取值范围：none, writethrough, directsync, unsafe, writeback': FS_TYPES([
    'none',
    'writethrough',
    'directsync',
    'unsafe',
    'writeback',
  ]),
  '取值范围：unfiltered, filtered': FS_TYPES(['unfiltered', 'filtered']),
  '取值范围：ide, scsi, virtio, xen, usb, sata, sd': FS_TYPES([
    'ide',
    'scsi',
    'virtio',
    'xen',
    'usb',
    'sata',
    'sd',
  ]),
  '取值范围：disk, lun, cdrom, floppy': FS_TYPES(['disk', 'lun', 'cdrom', 'floppy']),
  '取值范围：qcow2, raw': FS_TYPES(['qcow2', 'raw']),
  '取值范围：vdX, hdX, sdX': TARGET,
  '取值范围：readonly, shareable': FS_TYPES(['readonly', 'shareable']),
  '取值范围：qemu': FS_TYPES(['qemu']),
  '取值范围：file, block': FS_TYPES(['file', 'block']),
  '0~9999999999': BYTES_SEC,
  '0~99999': { rule: { kind: 'int', min: 0, max: 99999 }, gloss: 'an integer 0–99999' },
  '0~99999999': NIC_BW,
  'windows可适用hdx驱动，Linux可适用vdx驱动，x是指a,b,c,d可增长，但不能重名，disk具体是哪种target，以及适用了哪些target可以通过get方法获取进行分析':
    { ...TARGET, example: 'vdb' },
  '约束：盘符,路径': {
    rule: { kind: 'checked', check: 'storageList' },
    gloss: 'comma-separated disk targets or confined paths',
  },
  'source=源网桥（必填，默认为virbr0, br-native, br-int，以及用户自己创建的任何两层bridge名称），ip=IP地址（选填，只有type=l3bridge类型支持该参数），switch=ovn交换机名称（选填，只有type=l3bridge类型支持该参数）,顺序必须是source,ip,switch':
    {
      rule: { kind: 'checked', check: 'nicSource' },
      gloss: 'source=<bridge>[,ip=<ip>][,switch=<switch>], in that order',
    },
  '只能取值bridge，l2bridge，l3bridge. brdige表示libvirt自定义交换机，但不支持设置mac和IP等；l2bridge是Ovs交换机，虚拟机或获得与当前物理机网络一样的IP，但不能动态指定；l3bridge是基于gre或vxlan的，可设置mac和IP等':
    { ...FS_TYPES(['bridge', 'l2bridge', 'l3bridge']), example: 'l3bridge' },
  '由4-100位的数字和小写字母组成，已创建出的存储池': POOL_NAME,
  '100MiB到100GiB': RAM_KIB,
  '取值范围：密码为4-16位，是小写字母、数字和中划线组合': PASSWORD,
  '取值范围：windows/linux': FS_TYPES(['windows', 'linux']),
  '名称是字符串类型，长度是4到100位，只允许数字、小写字母、中划线、以及圆点': NAME,
  '取值范围：只允许数字、大小写字母、空格、-+/@': {
    // '=' and '.' added: base64 padding and host names in the key comment.
    rule: { kind: 'text', pattern: '^[A-Za-z0-9 +/@=._-]{16,16384}$' },
    gloss: 'an OpenSSH public key: letters, digits, space and -+/@ (also = and .)',
  },
  'x.x.x.x,x取值范围0到255': IP,
  from或者to: FS_TYPES(['from', 'to']),
  '&&连接两个规则，注意src和dst后==前后必须有一个空格': {
    rule: { kind: 'checked', check: 'aclMatch', coerce: 'unquote' },
    gloss:
      "an OVN match expression, e.g. 'ip4.src == $dmz && tcp.dst == 3306' (the SDK's surrounding single quotes are removed)",
  },
  allow或者drop: FS_TYPES(['allow', 'drop']),
  '1-999': { rule: { kind: 'int', min: 1, max: 999 }, gloss: 'an integer 1–999' },
  交换机名: NAME,
  '只能是ip, ip4, icmp之类': {
    rule: { kind: 'oneOf', values: ['ip', 'ip4', 'ip6', 'icmp', 'icmp4', 'icmp6', 'tcp', 'udp'] },
    gloss: 'a protocol: ip, ip4, ip6, icmp, icmp4, icmp6, tcp or udp',
  },
  '单位是kbps, 0-1000Mbps': {
    rule: { kind: 'int', min: 0, max: 1000000 },
    gloss: 'kbps, 0–1000000 (1000 Mbps)',
  },
  '单位是kbps, 0-100Mbps': { rule: { kind: 'int', min: 0, max: 100000 }, gloss: 'kbps, 0–100000 (100 Mbps)' },
  '0-32767': { rule: { kind: 'int', min: 0, max: 32767 }, gloss: 'an integer 0–32767' },
  备份主机使用的存储池: POOL_NAME,
  备份记录的版本号: { rule: { kind: 'name' }, gloss: 'a backup version id: 4–100 characters of [a-z0-9.-]' },
  远程备份的ftp主机ip: { rule: { kind: 'ipv4' }, gloss: 'the FTP server: an IPv4 address' },
  远程备份的ftp主机端口: { rule: { kind: 'int', min: 1, max: 65535 }, gloss: 'a TCP port 1–65535' },
  '添加或删除：add/remove': FS_TYPES(['add', 'remove']),
  '用lsusb/lspci命令查询的bus号': {
    rule: { kind: 'text', pattern: '^[0-9a-fA-F]{1,4}$' },
    gloss: '1–4 hex digits, as lsusb/lspci print them',
  },
  '用lsusb/lspci命令查询的副bus号': {
    rule: { kind: 'text', pattern: '^[0-9a-fA-F]{1,4}$' },
    gloss: '1–4 hex digits, as lsusb/lspci print them',
  },
  '用lsusb/lspci命令查询的device号': {
    rule: { kind: 'text', pattern: '^[0-9a-fA-F]{1,4}$' },
    gloss: '1–4 hex digits, as lsusb/lspci print them',
  },
  '取值范围：usb/pci': FS_TYPES(['usb', 'pci']),
  '开启或关闭：on/off': FS_TYPES(['on', 'off']),
  '取值范围：0~8': { rule: { kind: 'int', min: 0, max: 8 }, gloss: 'an integer 0–8' },
  '取值范围：vnc/spice': FS_TYPES(['vnc', 'spice']),
  '只能是localfs，vdiskfs，uus，nfs，glusterfs之一': FS_TYPES([
    'localfs',
    'vdiskfs',
    'uus',
    'nfs',
    'glusterfs',
  ]),
  已创建出的存储池: POOL_NAME,
  'localfs，vdiskfs，nfs，glusterfs支持扩容，uus类型中dev和iscsi支持扩容，dev-fast和iscsi-fast不支持扩容':
    FS_TYPES(['localfs', 'vdiskfs', 'nfs', 'glusterfs', 'uus']),
  '1000000000-999999999999（单位：Byte），需要比以前的云盘空间大': {
    rule: { kind: 'size', unit: 'B', min: 1000000000, max: 999999999999 },
    gloss: 'bytes, 1000000000–999999999999, larger than the current size (10G-style suffixes accepted)',
  },
  qcow2: FS_TYPES(['qcow2']),
  '1000000000-999999999999（单位：Byte）': {
    rule: { kind: 'size', unit: 'B', min: 1000000000, max: 999999999999 },
    gloss: 'bytes, 1000000000–999999999999 (10G-style suffixes accepted)',
  },
  '只能是localfs，vdiskfs，nfs，glusterfs之一': FS_TYPES(['localfs', 'vdiskfs', 'nfs', 'glusterfs']),
  '只能是localfs, vdiskfs，nfs，glusterfs之一': FS_TYPES(['localfs', 'vdiskfs', 'nfs', 'glusterfs']),
  '只能是localfs，nfs，glusterfs, vdiskfs之一': FS_TYPES(['localfs', 'nfs', 'glusterfs', 'vdiskfs']),
  '只能是localfs，vdiskfs, nfs，glusterfs之一': FS_TYPES(['localfs', 'vdiskfs', 'nfs', 'glusterfs']),
  '只能是localfs，vdiskfs，uus，nfs，glusterfs, vdiskfs之一': FS_TYPES([
    'localfs',
    'vdiskfs',
    'uus',
    'nfs',
    'glusterfs',
  ]),
  '由4-100位的数字和小写字母组成': NAME,
  'iso or qcow2': FS_TYPES(['iso', 'qcow2']),
  '由4-100位的数字和小写字母组成，已创建出的存储池，只支持localfs、nfs和glusterfs类型': POOL_NAME,
  磁盘和快照: NAME,
  '已存在的虚拟机名，由4-100位的数字和小写字母组成': VM_NAME,
  '由4-100位的数字和小写字母组成，已存在的虚拟机名': VM_NAME,
  'vda(对哪个磁盘做快照，多个请参考示例),snapshot=external/internal/no(快照类型，支持external：外部,internal:内部,no:不做快照),file=/var/lib/libvirt/snapshots/snapshot1(快照文件的存放路径),drvier=qcow2（只支持qcow2）':
    {
      rule: { kind: 'checked', check: 'diskspec' },
      gloss: '<target>,snapshot=external|internal|no[,file=<path>][,driver=qcow2] [--diskspec …]',
      example:
        'vda,snapshot=external,file=/var/lib/libvirt/snapshots/snapshot1,drvier=qcow2 --diskspec vdb,snapshot=no',
    },
  '只能是dir，uus，nfs，glusterfs, vdiskfs之一': {
    // localfs added: uni-virt and the other pool operations call a directory pool that.
    ...FS_TYPES(['dir', 'localfs', 'uus', 'nfs', 'glusterfs', 'vdiskfs']),
  },
  '只能是vmd，vmdi，iso之一': FS_TYPES(['vmd', 'vmdi', 'iso']),
  '当type为nfs、gfs类型时，作为挂载参数': {
    rule: { kind: 'text', pattern: '^[A-Za-z0-9=,._:/-]{1,256}$' },
    gloss: 'mount options for nfs/glusterfs pools, e.g. nolock',
  },
  '对所有类型必填，由数字和字母组成': {
    rule: { kind: 'text', pattern: '^[A-Za-z0-9-]{1,64}$' },
    gloss: 'letters and digits (hyphens of a standard UUID accepted)',
  },
  '名称是字符串类型，长度是3到12位，只允许数字、小写字母、中划线、以及圆点': {
    rule: { kind: 'name', min: 3, max: 12 },
    gloss: '3–12 characters of [a-z0-9.-]',
  },
  '0~4094': VLAN,
  '4-100位，包含小写字母，数字0-9，中划线，以及圆点': NAME,
  网段和掩码: { rule: { kind: 'checked', check: 'subnet' }, gloss: 'an IPv4 subnet a.b.c.d/n, n 1–31' },
  IP: IP,
  '10-1000': {
    // The document's own example is 1500; the SDK accepts 2–4 digits. Kept to what Ethernet allows.
    rule: { kind: 'int', min: 68, max: 9000 },
    gloss: 'the MTU, 68–9000 (the document says 10-1000 but its example is 1500)',
  },
  网桥: {
    rule: { kind: 'text', pattern: '^[A-Za-z0-9._-]{2,15}$' },
    gloss: 'a bridge name, 2–15 of [A-Za-z0-9._-]',
  },
  '单个IP之间通过空格分开，IP范围使用..分开': {
    rule: { kind: 'checked', check: 'excludeIps' },
    gloss: 'addresses and a..b ranges separated by spaces (commas accepted)',
  },
  'IP地址，允许多个，以,号分开': {
    rule: { kind: 'checked', check: 'dnsList' },
    gloss: 'IPv4 addresses separated by commas',
  },
  IP地址: { rule: { kind: 'checked', check: 'dnsList' }, gloss: 'IPv4 addresses separated by commas' },
  'IP以,分割': { rule: { kind: 'checked', check: 'ipList' }, gloss: 'IPv4 addresses separated by commas' },
};

/** Keyed by the parameter name, for constraint texts that only restate the description. */
export const BY_NAME: Readonly<Record<string, Entry>> = {
  pool: POOL_NAME,
  domain: VM_NAME,
  vol: { rule: { kind: 'name' }, gloss: 'a disk (volume) name: 4–100 characters of [a-z0-9.-]' },
  newname: NAME,
  target: POOL_NAME,
  targetDomain: VM_NAME,
  username: {
    rule: { kind: 'text', pattern: '^[A-Za-z0-9._-]{1,64}$' },
    gloss: 'an FTP user: 1–64 of [A-Za-z0-9._-]',
  },
  password: {
    rule: { kind: 'text', pattern: '^[^\\s\'"`\\\\]{1,128}$' },
    gloss: 'an FTP password: 1–128 characters, no whitespace, quotes or backslashes',
    secret: true,
  },
};

/** Keyed by `Operation.param`: irregular cases. */
export const OVERRIDES: Readonly<Record<string, Entry>> = {
  // Multi-disk strings; the document's CD-ROM sits in /opt/ISO, outside the roots a node may touch.
  'CreateAndStartVMFromISO.disk': {
    rule: { kind: 'checked', check: 'disk' },
    gloss:
      'path[,target=…][,read_bytes_sec=…][,write_bytes_sec=…] [--disk path,device=cdrom,perms=ro]…; paths confined',
    example:
      '/var/lib/libvirt/images/test3.qcow2,read_bytes_sec=1024000000,write_bytes_sec=1024000000 --disk /var/lib/libvirt/iso/centos7-minimal.iso,device=cdrom,perms=ro',
  },
  'CreateAndStartVMFromISO.network': {
    rule: { kind: 'checked', check: 'network' },
    gloss:
      'type=bridge|l2bridge|l3bridge,source=<bridge>[,ip=…][,switch=…][,model=virtio|e1000|rtl8139][,inbound=…][,outbound=…][,mac=…], in that order',
  },
  'CreateAndStartVMFromISO.vcpus': {
    rule: { kind: 'checked', check: 'vcpus' },
    gloss:
      'N[,cpuset=…][,maxvcpus=…][,cores=…][,sockets=…][,threads=…]; maxvcpus ≤ cores × sockets × threads',
  },
  'CreateAndStartVMFromISO.livecd': { rule: { kind: 'bool' }, gloss: 'true or false' },
  'CreateAndStartVMFromImage.livecd': { rule: { kind: 'bool' }, gloss: 'true or false' },
  'CreateAndStartVMFromImage.disk': {
    rule: { kind: 'checked', check: 'disk' },
    gloss:
      'path[,target=…][,read_bytes_sec=…][,write_bytes_sec=…] [--disk path,device=cdrom,perms=ro]…; paths confined',
    example:
      '/var/lib/libvirt/images/test3.qcow2,read_bytes_sec=1024000000,write_bytes_sec=1024000000 --disk /var/lib/libvirt/iso/centos7-minimal.iso,device=cdrom,perms=ro',
  },
  'CreateAndStartVMFromImage.network': {
    rule: { kind: 'checked', check: 'network' },
    gloss:
      'type=bridge|l2bridge|l3bridge,source=<bridge>[,ip=…][,switch=…][,model=virtio|e1000|rtl8139][,inbound=…][,outbound=…][,mac=…], in that order',
  },
  'CreateAndStartVMFromImage.vcpus': {
    rule: { kind: 'checked', check: 'vcpus' },
    gloss:
      'N[,cpuset=…][,maxvcpus=…][,cores=…][,sockets=…][,threads=…]; maxvcpus ≤ cores × sockets × threads',
  },
  // The document's example is a whole-byte figure with separators; it is KiB here, and the range holds.
  'ResizeVM.size': {
    rule: { kind: 'size', unit: 'KiB', min: 1000000, max: 999999999999 },
    gloss: 'KiB, 1000000–999999999999 (thousands separators or a unit suffix such as 10G accepted)',
  },
  'ResizeVM.path': PATH,
  'ManageISO.path': TARGET,
  'CloneVM.file': {
    rule: { kind: 'checked', check: 'pathList' },
    gloss: 'confined paths, several joined by " --file "',
  },
  'SetBootOrder.order': {
    rule: { kind: 'text', pattern: '^(vd|hd|sd)[a-z]{1,2}(,(vd|hd|sd)[a-z]{1,2})*$' },
    gloss: 'disk targets (vdX, hdX, sdX) in boot order, comma-separated',
  },
  'BindFloatingIP.fip': {
    rule: { kind: 'ipv4Cidr', prefix: 'optional' },
    gloss: 'an IPv4 address, optionally with /prefix',
  },
  'SetGuestPassword.user': {
    rule: { kind: 'text', pattern: '^[A-Za-z_][A-Za-z0-9_.-]{0,63}$' },
    gloss: 'a guest account such as root or Administrator',
  },
  'InjectSshKey.user': {
    rule: { kind: 'text', pattern: '^[A-Za-z_][A-Za-z0-9_.-]{0,63}$' },
    gloss: 'a guest account such as root or Administrator',
  },
  'ChangeNumberOfCPU.maximum': {
    rule: { kind: 'bool' },
    gloss: 'true: change the maximum vCPU count',
    example: true,
  },
  'ChangeNumberOfCPU.count': { rule: { kind: 'int', min: 1, max: 100 }, gloss: 'an integer 1–100' },
  'CleanVMBackup.all': { rule: { kind: 'bool' }, gloss: 'true: remove every backup', example: true },
  'CleanVMRemoteBackup.all': { rule: { kind: 'bool' }, gloss: 'true: remove every backup', example: true },
  'CreateCloudInitUserDataImage.userData': {
    rule: { kind: 'checked', check: 'yaml' },
    gloss: 'cloud-init user data; must parse as YAML',
    example: '#cloud-config\nhostname: vm1\n',
  },
  'CreatePool.force': { rule: { kind: 'bool' }, gloss: 'True or False (either case)' },
  'CreateSwitch.vlanId': { ...VLAN, example: '100' },
  'ModifySwitch.vlanId': { ...VLAN, example: '100' },
  'CreateSwitch.ipv6': { rule: { kind: 'bool' }, gloss: 'true or false (True/False accepted)' },
  'DeleteSwitch.ipv6': { rule: { kind: 'bool' }, gloss: 'true or false (True/False accepted)' },
  'ModifySwitch.ipv6': { rule: { kind: 'bool' }, gloss: 'true or false (True/False accepted)' },
  'ExportVM.path': { ...PATH, example: '/var/lib/libvirt/export/vm1.xml' },
  'UpdateOS.source': PATH,
  'UpdateOS.target': PATH,
  // The document's examples combine type=bridge with ip=/switch= and a password with no_password=true,
  // which its own constraints forbid (see OP_CHECKS).
  'PlugNIC.type': { ...FS_TYPES(['bridge', 'l2bridge', 'l3bridge']), example: 'l3bridge' },
  'UpdateGraphic.no_password': { rule: { kind: 'bool' }, gloss: 'true: remove the password', example: false },
  // The document pairs type=dir with a uus URL; a dir pool's url is its (confined) directory.
  'CreatePool.url': {
    rule: { kind: 'checked', check: 'poolUrl' },
    gloss:
      'dir/localfs/vdiskfs: the pool directory (confined); glusterfs: host:volume; nfs: host:/export; uus: the storage URL',
    example: '/mnt/localfs/pool2',
  },
  'MigrateVM.offline': { rule: { kind: 'bool' }, gloss: 'true when the VM is shut off (offline migration)' },
};

/**
 * Other spellings existing clients send, per `Kind.Operation` → { sent: documented }. `!x` means the
 * boolean inverse of x. Sources: the storage anchor §8.2/§10.1 and the network anchor §2.
 */
export const ALIASES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'VirtualMachine.TuneNICQoS': { interface: '_interface' },
  'VirtualMachineDisk.CloneDisk': { newvol: 'newname' },
  'VirtualMachineDisk.CreateDiskInternalSnapshot': { snapshot: 'snapshotname' },
  'VirtualMachineDisk.RevertDiskInternalSnapshot': { snapshot: 'snapshotname' },
  'VirtualMachineDisk.DeleteDiskInternalSnapshot': { snapshot: 'snapshotname' },
  'VirtualMachineDisk.CreateDiskFromDiskImage': { 'full-copy': 'full_copy', fullCopy: 'full_copy' },
  'VirtualMachineDiskSnapshot.CreateDiskExternalSnapshot': { source: 'vol' },
  'VirtualMachineDiskSnapshot.RevertDiskExternalSnapshot': { source: 'vol' },
  'VirtualMachineDiskSnapshot.DeleteDiskExternalSnapshot': { source: 'vol' },
  'VirtualMachinePool.AutoStartPool': { 'auto-start': '!disable', autostart: '!disable' },
  'VirtualMachinePool.CreatePool': { 'auto-start': 'autostart' },
};

/**
 * Constraints between parameters of one operation, by `Operation` → names of checks in
 * src/executors/op-checks.ts. Each cites the document's text it enforces.
 */
export const OP_CHECKS: Readonly<Record<string, readonly string[]>> = {
  // 约束条件：最大vcpu数量=cpu核数×cpu插槽数×cpu线程数
  ChangeNumberOfCPU: ['vcpuTopology'],
  // ip=…/switch=…: 只有type=l3bridge类型支持该参数
  PlugNIC: ['nicSourceMatchesType'],
  // url: 建立云存储池时…的云存储池路径 — its form depends on type; a directory must be confined
  CreatePool: ['poolUrlMatchesType'],
  // password vs no_password: setting a password and removing it at once is contradictory
  UpdateGraphic: ['passwordOrNoPassword'],
};

/**
 * Parameters the Java SDK's model sends that the document leaves out, by `Operation` (checked
 * against java-sdk-model.json). BindFloatingIP.vmmac: which NIC the floating IP maps to (the old
 * daemon required it; without it the VM's only NIC on the switch is taken).
 */
export const SDK_PARAMS: Readonly<
  Record<
    string,
    ReadonlyArray<{
      name: string;
      type: string;
      required: boolean;
      description: string;
      constraint?: string;
      example: string;
    }>
  >
> = {
  BindFloatingIP: [
    {
      name: 'vmmac',
      type: 'String',
      required: false,
      description: '虚拟机mac地址',
      constraint: 'mac地址不能以fe开头',
      example: '7e:0c:b0:ef:6a:04',
    },
  ],
};
