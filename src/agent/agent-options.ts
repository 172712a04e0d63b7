/** What Agent.start takes: the configuration, the operations, and what tests and benchmarks replace. */
import type { Services } from '../executors/services.js';
import type { Logger } from '../log.js';
import type { OperationCatalog } from './catalog.js';
import type { AgentConfig } from './config.js';
import type { DispatchDeps } from './dispatch.js';
import type { EventSink } from './events.js';
import type { CleanupHooks } from './finalize.js';
import type { AgentMetrics } from './metrics.js';

export interface AgentOptions {
  config: AgentConfig;
  catalog: OperationCatalog;
  /** Built from the config when absent. */
  services?: Services;
  hooks?: CleanupHooks;
  log?: Logger;
  metrics?: AgentMetrics;
  /** Replaces the apiserver event sink (tests count events this way). */
  events?: EventSink;
  /** Observe the host after operations and on events (default true; off for test-only operations). */
  observe?: boolean;
  /** Turn libvirt events into queue keys when a libvirt client is present. Default true. */
  reporters?: boolean;
  /** Pipeline timestamps per key (benchmarks). */
  trace?: DispatchDeps['trace'];
}
