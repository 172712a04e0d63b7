/** Prometheus metrics of the libvirt client (default registry, `kubestack_libvirt_*`). */
import { Counter, Gauge, Histogram } from 'prom-client';

export const callSeconds = new Histogram({
  name: 'kubestack_libvirt_call_seconds',
  help: 'Duration of libvirt RPC calls, by procedure and outcome (ok|error|disconnected)',
  labelNames: ['procedure', 'outcome'] as const,
  buckets: [0.0002, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
});

export const reconnects = new Counter({
  name: 'kubestack_libvirt_reconnects_total',
  help: 'Connections to libvirtd re-established after a loss',
});

export const events = new Counter({
  name: 'kubestack_libvirt_events_total',
  help: 'Domain events received, by kind',
  labelNames: ['kind'] as const,
});

export const connected = new Gauge({
  name: 'kubestack_libvirt_connected',
  help: '1 while connected to libvirtd, else 0',
});
