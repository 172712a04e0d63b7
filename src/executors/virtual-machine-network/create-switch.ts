/**
 * CreateSwitch: switch + gateway router (pinned to this host's chassis) + router port + DHCP
 * options (+ provider attachment on `bridge`) as ONE Northbound transaction. `other_config:subnet`
 * is set so `dynamic` addresses work; several DNS servers are rendered `{a, b}`. With `bridge`, this
 * host's `ovn-bridge-mappings` gets `kst-<bridge>:<bridge>` afterwards (idempotent, host-local).
 */
import { ValidationError } from '../../errors.js';
import { createSwitch, localChassis, observeSwitch, physnetOf, setBridgeMapping } from '../../ovn/index.js';
import { defineOperation } from '../types.js';
import { CreateSwitch } from './params.gen.js';
import { nbOf, ovsOf, switchOutcome } from './shared.js';

export const createSwitchOp = defineOperation({
  ...CreateSwitch,
  async handler(ctx, params) {
    const ovs = ovsOf(ctx);
    if (params.bridge !== undefined && !ovs.named('Bridge', params.bridge)) {
      throw new ValidationError(`no OVS bridge '${params.bridge}' on this host`, 'bridge');
    }
    const r = await createSwitch(nbOf(ctx), {
      name: ctx.name,
      subnet: params.subnet,
      gateway: params.gateway,
      dhcp: params.dhcp,
      mtu: params.mtu,
      bridge: params.bridge,
      vlanId: params.vlanId,
      excludeIPs: params.excludeIPs,
      dnsServer: params.dnsServer,
      ipv6: params.ipv6,
      chassis: localChassis(ovs),
    });
    if (params.bridge !== undefined)
      await setBridgeMapping(ovs, physnetOf(params.bridge), params.bridge, ctx.log);
    return switchOutcome(r.state, r.changed);
  },
  /**
   * The switch is one Northbound transaction: present = finished (the host-local bridge mapping,
   * idempotent, is set again), absent = nothing was made.
   */
  async recover(ctx, params) {
    const state = observeSwitch(nbOf(ctx), ctx.name);
    if (!state) return { undone: true };
    if (params.bridge !== undefined)
      await setBridgeMapping(ovsOf(ctx), physnetOf(params.bridge), params.bridge, ctx.log);
    return { outcome: switchOutcome(state, true) };
  },
});
