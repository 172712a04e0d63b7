/**
 * What the QoS operations share. QoS rows are per NIC port (`inport == "<port>" && (rule)` for
 * `from`, `outport` for `to`), never per switch: SetQoS/ModifyQoS name a switch, so they apply to
 * each of the VM's NICs on it, in one transaction.
 */
import { NotFoundError } from '../../errors.js';
import {
  checkRule,
  type NbView,
  planSetQosOnNics,
  type QosInput,
  qosKey,
  setQosOnNics,
} from '../../ovn/index.js';
import { recoverOneTransaction } from '../recover-plan.js';
import type { OperationContext, OperationOutcome, RecoveryResult } from '../types.js';
import { vmMacsOn } from './nics.js';

export const DEFAULT_QOS_PRIORITY = 100;

export interface QosParams {
  swName: string;
  type: 'from' | 'to';
  rule: string;
  priority?: number | undefined;
}

/** The VM's QoS rows on the switch with these arguments, per NIC MAC. */
export function findQos(nb: NbView, vm: string, p: QosParams, macs: readonly string[]): string[] {
  const rule = checkRule(p.rule);
  const keys = new Set(macs.map((m) => qosKey(m, p.type, rule, p.priority ?? DEFAULT_QOS_PRIORITY)));
  return nb
    .where(
      'QoS',
      (q) => q.external_ids['kubestack/vm'] === vm && keys.has(q.external_ids['kubestack/qos'] ?? ''),
    )
    .map((q) => q._uuid);
}

/** MACs of the VM's NICs on `swName`; NotFound naming swName when there are none. */
export function nicMacsOrThrow(nb: NbView, vm: string, swName: string): string[] {
  const macs = vmMacsOn(nb, vm, swName);
  if (macs.length === 0) {
    throw new NotFoundError(`l3bridge NIC of VM '${vm}' on switch`, swName, { details: { field: 'swName' } });
  }
  return macs;
}

export function qosOutcome(ctx: OperationContext, swName: string, what: string): OperationOutcome {
  const nb = ctx.services.ovnNb;
  const rows = nb.where('QoS', (q) => q.external_ids['kubestack/vm'] === ctx.name);
  const list = rows.map((q) => `${q.direction} ${q.priority} ${q.match} rate=${q.bandwidth.rate ?? '-'}`);
  return { message: `${what} on '${swName}'; QoS of VM '${ctx.name}': ${list.join('; ') || 'none'}` };
}

/** The QoS rows SetQoS and ModifyQoS write for these arguments (each NIC's MAC added per row). */
export function qosBase(
  ctx: OperationContext,
  p: QosParams & { rate: number; burst?: number | undefined },
): Omit<QosInput, 'mac'> {
  return {
    switchName: p.swName,
    vm: ctx.name,
    type: p.type,
    rule: p.rule,
    rate: p.rate,
    burst: p.burst,
    priority: p.priority,
  };
}

/** SetQoS and ModifyQoS: the rows for these arguments on each of the VM's NICs, one transaction. */
export async function writeQos(
  ctx: OperationContext,
  p: QosParams & { rate: number; burst?: number | undefined },
  macs: readonly string[],
  done: string,
): Promise<OperationOutcome> {
  const r = await setQosOnNics(ctx.services.ovnNb, qosBase(ctx, p), macs);
  return qosOutcome(ctx, p.swName, r.noop ? 'QoS already as requested' : done);
}

type QosRequest = QosParams & { rate: number; burst?: number | undefined };

/**
 * The recover hook of SetQoS and ModifyQoS (one Northbound transaction): every NIC's row at this
 * rate = finished (reported as `handler` reports it), else nothing was written.
 */
export const recoverQos =
  <P extends QosRequest>(handler: (ctx: OperationContext, p: P) => Promise<OperationOutcome>) =>
  (ctx: OperationContext, p: P): Promise<RecoveryResult> =>
    recoverOneTransaction(
      ctx,
      p,
      () => {
        const nb = ctx.services.ovnNb;
        return planSetQosOnNics(nb, qosBase(ctx, p), nicMacsOrThrow(nb, ctx.name, p.swName));
      },
      handler,
    );
