/** Starts an in-process agent for a test: ServiceAccount credentials, a private journal, test ops. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from '../../../src/agent/agent.js';
import { simpleCatalog } from '../../../src/agent/catalog.js';
import { type AgentConfig, DEFAULTS } from '../../../src/agent/config.js';
import type { CleanupHooks } from '../../../src/agent/finalize.js';
import type { Services } from '../../../src/executors/services.js';
import { createLogger } from '../../../src/log.js';
import { testOps } from './test-ops.js';

export interface FixtureOptions {
  kubeconfig: string;
  nodeName: string;
  journalDir?: string;
  concurrency?: number;
  hooks?: CleanupHooks;
  watchdogSeconds?: number;
  dryRun?: boolean;
}

export async function startAgent(o: FixtureOptions): Promise<{ agent: Agent; config: AgentConfig }> {
  const config: AgentConfig = {
    ...DEFAULTS,
    kubeconfig: o.kubeconfig,
    nodeName: o.nodeName,
    concurrency: o.concurrency ?? 16,
    metricsAddr: '',
    journalDir: o.journalDir ?? mkdtempSync(join(tmpdir(), 'ks-journal-')),
    watchdogSeconds: o.watchdogSeconds ?? DEFAULTS.watchdogSeconds,
    dryRun: o.dryRun ?? false,
  };
  const agent = await Agent.start({
    config,
    catalog: simpleCatalog(testOps),
    // The runtime tests run test-only operations that never call a host client.
    services: { virtType: 'qemu' } as Services,
    observe: false,
    log: createLogger(process.env.KUBESTACK_TEST_LOG_LEVEL ?? 'warn'),
    ...(o.hooks ? { hooks: o.hooks } : {}),
  });
  return { agent, config };
}
