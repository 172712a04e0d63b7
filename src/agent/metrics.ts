/** The agent's Prometheus metrics, on a registry of its own (tests may run several agents). */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export class AgentMetrics {
  readonly registry = new Registry();
  readonly operations: Counter<'kind' | 'operation' | 'result'>;
  readonly operationSeconds: Histogram<'kind' | 'operation' | 'result'>;
  readonly queueDepth: Gauge;
  readonly queueActive: Gauge;
  readonly queueWaitSeconds: Histogram;
  readonly queueRetries: Counter;
  readonly watchRestarts: Counter<'kind' | 'reason'>;
  readonly connectionUp: Gauge<'target'>;
  readonly apiRequests: Counter<'verb' | 'code'>;

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (opts.defaultMetrics) collectDefaultMetrics({ register: this.registry });
    this.operations = new Counter({
      name: 'kubestack_agent_operations_total',
      help: 'Operations finished, by kind, operation and result (succeeded|failed|rejected).',
      labelNames: ['kind', 'operation', 'result'],
      registers,
    });
    this.operationSeconds = new Histogram({
      name: 'kubestack_agent_operation_duration_seconds',
      help: 'Handler run time of operations.',
      labelNames: ['kind', 'operation', 'result'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 180, 600],
      registers,
    });
    this.queueDepth = new Gauge({
      name: 'kubestack_agent_queue_depth',
      help: 'Keys waiting for a worker.',
      registers,
    });
    this.queueActive = new Gauge({
      name: 'kubestack_agent_queue_active',
      help: 'Keys being processed.',
      registers,
    });
    this.queueWaitSeconds = new Histogram({
      name: 'kubestack_agent_queue_wait_seconds',
      help: 'Time a key waited in the queue before a worker took it.',
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      registers,
    });
    this.queueRetries = new Counter({
      name: 'kubestack_agent_queue_retries_total',
      help: 'Keys requeued with backoff after a retriable failure.',
      registers,
    });
    this.watchRestarts = new Counter({
      name: 'kubestack_agent_watch_restarts_total',
      help: 'Watch restarts by kind and reason (expired|gone|watchdog|error).',
      labelNames: ['kind', 'reason'],
      registers,
    });
    this.connectionUp = new Gauge({
      name: 'kubestack_agent_connection_up',
      help: '1 when the connection to the target (apiserver, libvirt, ovsdb-nb, …) is up.',
      labelNames: ['target'],
      registers,
    });
    this.apiRequests = new Counter({
      name: 'kubestack_agent_apiserver_writes_total',
      help: 'Writes the agent sent to the apiserver, by verb and result code.',
      labelNames: ['verb', 'code'],
      registers,
    });
  }
}
