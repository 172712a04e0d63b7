/** VirtualMachineNetwork observation: the switch, bridge or address set the object's `spec.type` names. */
import { observeAddressSet, observeBridge, observeSwitch } from '../../ovn/index.js';
import { notReady, type Observation, type ObserveContext, ready } from '../observe.js';
import { addressData, bridgeData, switchData } from './report.js';
import { L2_NETWORK, L3_ADDRESS, L3_NETWORK } from './shared.js';

function describe(ctx: ObserveContext, type: unknown): Record<string, unknown> | undefined {
  const { ovnNb, ovs } = ctx.services;
  if (type === L3_NETWORK) {
    const s = observeSwitch(ovnNb, ctx.name);
    return s && switchData(s);
  }
  if (type === L2_NETWORK) {
    const b = observeBridge(ovs, ctx.name);
    return b && bridgeData(b);
  }
  const a = observeAddressSet(ovnNb, ctx.name);
  return a && addressData(a);
}

export async function observeNetwork(ctx: ObserveContext): Promise<Observation | undefined> {
  const type = ctx.object.spec?.['type'];
  if (type !== L3_NETWORK && type !== L2_NETWORK && type !== L3_ADDRESS) return undefined;
  const data = describe(ctx, type);
  if (!data) return { spec: {}, ready: notReady('NotFound', `${type} '${ctx.name}' not found on this host`) };
  return { spec: { data }, ready: ready('Ready', `The ${type} is ready.`) };
}
