/**
 * The test bed's environment, as `scripts/testbed env` exports it (scripts/test does that before
 * running vitest). A missing variable fails loudly: integration tests never skip quietly.
 */
export interface TestbedEnv {
  kubeconfig: string;
  libvirtSocket: string;
  ovnNb: string;
  ovnSb: string;
  ovsDb: string;
  glusterVolume: string;
  testBridge: string;
  nodeName: string;
  kvm: boolean;
  virtType: 'kvm' | 'qemu';
}

function need(name: string): string {
  const v = process.env[name];
  if (!v) {
    throw new Error(
      `${name} is not set: run the integration tests through \`npm test\`, or ` +
        '`scripts/testbed up && eval "$(scripts/testbed env)"` first',
    );
  }
  return v;
}

export function testbedEnv(): TestbedEnv {
  return {
    kubeconfig: need('KUBECONFIG'),
    libvirtSocket: need('KUBESTACK_LIBVIRT_SOCKET'),
    ovnNb: need('KUBESTACK_OVN_NB'),
    ovnSb: need('KUBESTACK_OVN_SB'),
    ovsDb: need('KUBESTACK_OVS_DB'),
    glusterVolume: need('KUBESTACK_GLUSTER_VOLUME'),
    testBridge: need('KUBESTACK_TEST_BRIDGE'),
    nodeName: need('NODE_NAME'),
    kvm: need('KVM') === '1',
    virtType: need('KUBESTACK_VIRT_TYPE') === 'kvm' ? 'kvm' : 'qemu',
  };
}
