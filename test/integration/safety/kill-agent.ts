/**
 * A real agent in its own process for the kill -9 matrix: the real catalogue and real host
 * clients (libvirt, OVN/OVS, a storage engine whose pool registry lives in `<stateDir>`), plus two
 * test-only instruments:
 *   - every handler call is appended to `<journalDir>/runs.log` (`<object> <operation>`), so the
 *     matrix can tell how often an operation really ran;
 *   - `<journalDir>/kill.json` ({object, operation, phase} or {object, operation, delayMs}) makes
 *     the process SIGKILL itself right after the journal recorded that phase for that request, or
 *     that many milliseconds after the `started` record (a random point inside the handler), or
 *     ({…, storageStep: '<engine op>:<n>'}) at the n-th step of the storage engine's own journal
 *     for that request (its KUBESTACK_STORAGE_KILL_AT hook, armed from `started` to `finished`).
 * Usage: tsx kill-agent.ts <kubeconfig> <nodeName> <journalDir> <stateDir>
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent } from '../../../src/agent/agent.js';
import { DEFAULTS } from '../../../src/agent/config.js';
import { Journal, type JournalEntry } from '../../../src/agent/journal.js';
import { registryCatalog } from '../../../src/agent/registry-catalog.js';
import { implementedOperations } from '../../../src/executors/implemented.js';
import type { Services } from '../../../src/executors/services.js';
import { libvirtOnlineSnapshots } from '../../../src/executors/storage-online.js';
import type { OperationSpec } from '../../../src/executors/types.js';
import { libvirtDomainUse } from '../../../src/executors/virtual-machine/domain-use.js';
import { LibvirtClient } from '../../../src/libvirt/index.js';
import { createLogger } from '../../../src/log.js';
import { connectNetworkServices } from '../../../src/ovn/index.js';
import { StorageEngine } from '../../../src/storage/index.js';

const [kubeconfig, nodeName, journalDir, stateDir] = process.argv.slice(2);
if (!kubeconfig || !nodeName || !journalDir || !stateDir) {
  throw new Error('usage: kill-agent <kubeconfig> <node> <journalDir> <stateDir>');
}
const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (run with the test bed environment)`);
  return v;
};

export interface KillPlan {
  object: string;
  operation: string;
  phase?: 'accepted' | 'started' | 'finished';
  delayMs?: number;
  storageStep?: string;
}

const planFile = join(journalDir, 'kill.json');
const runsFile = join(journalDir, 'runs.log');
const die = (): void => {
  process.kill(process.pid, 'SIGKILL');
};

function currentPlan(): KillPlan | undefined {
  return existsSync(planFile) ? (JSON.parse(readFileSync(planFile, 'utf8')) as KillPlan) : undefined;
}

// The kill instrument: after the record is durable, as a real crash right after it would be.
const record = Journal.prototype.record;
Journal.prototype.record = async function (this: Journal, entry: JournalEntry): Promise<void> {
  await record.call(this, entry);
  const plan = currentPlan();
  if (!plan || plan.operation !== entry.operation || !entry.key.endsWith(`/${plan.object}`)) return;
  if (plan.phase === entry.phase) die();
  if (plan.delayMs !== undefined && entry.phase === 'started') setTimeout(die, plan.delayMs);
  if (plan.storageStep && entry.phase === 'started') process.env.KUBESTACK_STORAGE_KILL_AT = plan.storageStep;
  if (entry.phase === 'finished') delete process.env.KUBESTACK_STORAGE_KILL_AT;
};

const counted = (op: OperationSpec): OperationSpec => ({
  ...op,
  handler: (ctx, params) => {
    appendFileSync(runsFile, `${ctx.name} ${op.name}\n`);
    return op.handler(ctx, params);
  },
});

const log = createLogger(process.env.KUBESTACK_TEST_LOG_LEVEL ?? 'warn');
const libvirt = await LibvirtClient.connect({ socketPath: env('KUBESTACK_LIBVIRT_SOCKET') });
const net = await connectNetworkServices({
  nbRemote: env('KUBESTACK_OVN_NB'),
  ovsRemote: env('KUBESTACK_OVS_DB'),
});
const storage = new StorageEngine({
  stateDir,
  domainUse: libvirtDomainUse(libvirt),
  online: libvirtOnlineSnapshots(libvirt),
  log,
});
// as the agent's composition root does: the storage journal first, then the agent's
await storage.recover();
const services: Services = {
  virtType: env('KUBESTACK_VIRT_TYPE') === 'kvm' ? 'kvm' : 'qemu',
  libvirt,
  storage,
  ovnNb: net.ovnNb,
  ovs: net.ovs,
  // the tiny guest acts on ACPI in about a second, much later on a loaded machine (TCG)
  vmStopTimeoutMs: 30_000,
};
const agent = await Agent.start({
  config: { ...DEFAULTS, kubeconfig, nodeName, journalDir, metricsAddr: '' },
  catalog: registryCatalog(implementedOperations().map(counted)),
  services,
  log,
});
process.stdout.write('started\n');
process.once('SIGTERM', () => {
  // Agent.stop closes the libvirt client it was given; the OVSDB connections are ours to close.
  void agent
    .stop(5000)
    .then(() => net.close())
    .catch(() => undefined)
    .finally(() => process.exit(0));
});
