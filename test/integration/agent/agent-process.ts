/**
 * An agent in its own process, serving the test-only operations: the crash test SIGKILLs it.
 * Usage: tsx agent-process.ts <kubeconfig> <nodeName> <journalDir>
 */
import { Agent } from '../../../src/agent/agent.js';
import { simpleCatalog } from '../../../src/agent/catalog.js';
import { DEFAULTS } from '../../../src/agent/config.js';
import type { Services } from '../../../src/executors/services.js';
import { createLogger } from '../../../src/log.js';
import { testOps } from './test-ops.js';

const [kubeconfig, nodeName, journalDir] = process.argv.slice(2);
if (!kubeconfig || !nodeName || !journalDir)
  throw new Error('usage: agent-process <kubeconfig> <node> <journalDir>');

const agent = await Agent.start({
  config: { ...DEFAULTS, kubeconfig, nodeName, journalDir, metricsAddr: '' },
  catalog: simpleCatalog(testOps),
  // test-only operations never call a host client
  services: { virtType: 'qemu' } as Services,
  observe: false,
  log: createLogger('warn'),
});
process.stdout.write('started\n');
process.once('SIGTERM', () => void agent.stop().then(() => process.exit(0)));
