/**
 * What the ACL operations share: the VM's ACLs live on its port group (`inport == @pg` for `from`,
 * `outport == @pg` for `to`), found by a hash of type, rule and priority. The NIC named by
 * `vmmac` must be an l3bridge NIC of this VM on `swName`; the rule then applies to all the VM's
 * OVN NICs (the port group holds them all).
 */
import { aclKey, addAcl, checkRule, type NbView, planAddAcl, vmAcls } from '../../ovn/index.js';
import { recoverOneTransaction } from '../recover-plan.js';
import type { OperationContext, OperationOutcome, RecoveryResult } from '../types.js';
import { vmNicPortOn } from './nics.js';

export const DEFAULT_ACL_PRIORITY = 100;

export interface AclParams {
  swName: string;
  vmmac: string;
  type: 'from' | 'to';
  rule: string;
  priority?: number | undefined;
}

/** The existing ACL with these arguments, if any (checks the NIC first). */
export function findAcl(nb: NbView, vm: string, p: AclParams): { action: string } | undefined {
  vmNicPortOn(nb, vm, p.vmmac, p.swName);
  const key = aclKey(vm, p.type, checkRule(p.rule), p.priority ?? DEFAULT_ACL_PRIORITY);
  return vmAcls(nb, vm).find((a) => a.external_ids['kubestack/acl'] === key);
}

/** The VM's ACLs as clients read them (kept in the status message, never under spec). */
export function aclSummary(nb: NbView, vm: string): string {
  const acls = vmAcls(nb, vm);
  return acls.length === 0
    ? 'no ACLs'
    : acls.map((a) => `${a.direction} ${a.priority} ${a.match} ${a.action}`).join('; ');
}

export const aclOutcome = (ctx: OperationContext, what: string): OperationOutcome => ({
  message: `${what}; ACLs of VM '${ctx.name}': ${aclSummary(ctx.services.ovnNb, ctx.name)}`,
});

/** AddACL and ModifyACL: the ACL with these arguments and verdict, one transaction. */
export async function writeAcl(
  ctx: OperationContext,
  p: AclParams & { operator: 'allow' | 'drop' },
  done: string,
  unchanged: string,
): Promise<OperationOutcome> {
  const r = await addAcl(ctx.services.ovnNb, aclInput(ctx, p));
  return aclOutcome(ctx, r.noop ? unchanged : done);
}

type AclRequest = AclParams & { operator: 'allow' | 'drop' };

const aclInput = (ctx: OperationContext, p: AclRequest) => ({
  vm: ctx.name,
  type: p.type,
  rule: p.rule,
  operator: p.operator,
  priority: p.priority,
});

/**
 * The recover hook of AddACL and ModifyACL (one Northbound transaction): the ACL with this verdict
 * present = finished (reported as `handler` reports it), else nothing was written.
 */
export const recoverAcl =
  <P extends AclRequest>(handler: (ctx: OperationContext, p: P) => Promise<OperationOutcome>) =>
  (ctx: OperationContext, p: P): Promise<RecoveryResult> =>
    recoverOneTransaction(ctx, p, () => planAddAcl(ctx.services.ovnNb, aclInput(ctx, p)), handler);
