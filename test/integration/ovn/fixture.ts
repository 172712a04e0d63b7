/**
 * Shared by the OVN integration tests: real clients of the test bed's NB and local OVS DBs, an
 * OperationContext like the agent builds, the CLIs to cross-check with, and unique `kst-` names.
 */
import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import { pino } from 'pino';
import type { Services } from '../../../src/executors/services.js';
import type { OperationContext, OperationOutcome, OperationSpec } from '../../../src/executors/types.js';
import { validateParams } from '../../../src/executors/validate.js';
import type { KindName } from '../../../src/kinds.js';
import { connectNetworkServices, type NbView, type OvsView } from '../../../src/ovn/index.js';
import { testbedEnv } from '../testbed-env.js';

export const log = pino({ level: process.env.KUBESTACK_TEST_LOG ?? 'silent' });

export interface Net {
  nb: NbView;
  ovs: OvsView;
  close: () => Promise<void>;
}

export async function connectNet(): Promise<Net> {
  const env = testbedEnv();
  const s = await connectNetworkServices({ nbRemote: env.ovnNb, ovsRemote: env.ovsDb, log });
  return { nb: s.ovnNb, ovs: s.ovs, close: s.close };
}

/** A short unique suffix: OVS bridge names must stay ≤ 15 characters. */
export const uniq = (): string => randomBytes(3).toString('hex');

export function context(net: Net, name: string, kind: KindName = 'VirtualMachineNetwork'): OperationContext {
  const env = testbedEnv();
  // The network handlers use only ovnNb and ovs; libvirt and storage are other layers' real
  // clients, not needed here, so they are left out of this Services (cast, never called).
  const services = { virtType: env.virtType, ovnNb: net.nb, ovs: net.ovs } as unknown as Services;
  return {
    kind,
    name,
    namespace: 'default',
    nodeName: env.nodeName,
    object: {
      apiVersion: 'doslab.io/v1',
      kind,
      metadata: { name, namespace: 'default', labels: { host: env.nodeName } },
      spec: {},
    },
    log,
    signal: new AbortController().signal,
    services,
  };
}

/** Runs an operation the way the agent does: validate (aliases, coercion, checks), then the handler. */
export async function run(
  op: OperationSpec,
  ctx: OperationContext,
  raw: Record<string, unknown>,
): Promise<OperationOutcome> {
  const params = validateParams(op, raw);
  return op.handler(ctx, params);
}

export async function nbctl(...args: string[]): Promise<string> {
  const env = testbedEnv();
  const r = await execa('ovn-nbctl', [`--db=${env.ovnNb}`, ...args]);
  return r.stdout.trim();
}

export async function vsctl(...args: string[]): Promise<string> {
  const env = testbedEnv();
  const r = await execa('ovs-vsctl', [`--db=${env.ovsDb}`, ...args]);
  return r.stdout.trim();
}

/** `ovn-nbctl --bare --columns=… find TABLE cond…` as trimmed lines. */
export async function nbFind(table: string, column: string, ...conds: string[]): Promise<string[]> {
  const out = await nbctl('--bare', `--columns=${column}`, 'find', table, ...conds);
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}
