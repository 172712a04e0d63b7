/**
 * The agent's configuration. Precedence: command-line flag > environment variable > config file
 * (YAML, --config or KUBESTACK_CONFIG) > the defaults below.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { defaultNodeName } from './selection.js';

export interface AgentConfig {
  /** kubeconfig path; unset = KUBECONFIG, ~/.kube/config or in-cluster. */
  kubeconfig: string | undefined;
  /** Node name: objects labelled host=<nodeName> are ours. Default: lowercased hostname. */
  nodeName: string;
  /** Namespaces watched. Default ['default'] (uni-virt uses only `default`). */
  namespaces: string[];
  /** Operations running at once across all objects. Default 8. */
  concurrency: number;
  logLevel: string;
  /** host:port for /metrics, /healthz, /readyz; empty = no HTTP server. Default 0.0.0.0:9180. */
  metricsAddr: string;
  /** The crash-safety journal's directory. Default /var/lib/kubestack-agent. */
  journalDir: string;
  libvirtSocket: string;
  ovnNb: string;
  /** This host's Open_vSwitch DB. Default unix:/var/run/openvswitch/db.sock. */
  ovsDb: string;
  /** Decide and log only; no writes, no host effects. */
  dryRun: boolean;
  /** Server-side lifetime of one watch request, seconds. Default 300. */
  watchTimeoutSeconds: number;
  /** Relist when a watch has been silent this long, seconds. Default 150. */
  watchdogSeconds: number;
  /** Also own unlabelled objects whose spec.nodeName is this node. Default true. */
  nodeNameFallback: boolean;
}

export const DEFAULTS: Omit<AgentConfig, 'nodeName'> = {
  kubeconfig: undefined,
  namespaces: ['default'],
  concurrency: 8,
  logLevel: 'info',
  metricsAddr: '0.0.0.0:9180',
  journalDir: '/var/lib/kubestack-agent',
  libvirtSocket: '/var/run/libvirt/libvirt-sock',
  ovnNb: 'unix:/var/run/ovn/ovnnb_db.sock',
  ovsDb: 'unix:/var/run/openvswitch/db.sock',
  dryRun: false,
  watchTimeoutSeconds: 300,
  watchdogSeconds: 150,
  nodeNameFallback: true,
};

/** Environment variable of each setting. */
export const ENV: Record<keyof AgentConfig, string> = {
  kubeconfig: 'KUBECONFIG',
  nodeName: 'NODE_NAME',
  namespaces: 'KUBESTACK_NAMESPACES',
  concurrency: 'KUBESTACK_CONCURRENCY',
  logLevel: 'KUBESTACK_LOG_LEVEL',
  metricsAddr: 'KUBESTACK_METRICS_ADDR',
  journalDir: 'KUBESTACK_JOURNAL_DIR',
  libvirtSocket: 'KUBESTACK_LIBVIRT_SOCKET',
  ovnNb: 'KUBESTACK_OVN_NB',
  ovsDb: 'KUBESTACK_OVS_DB',
  dryRun: 'KUBESTACK_DRY_RUN',
  watchTimeoutSeconds: 'KUBESTACK_WATCH_TIMEOUT_SECONDS',
  watchdogSeconds: 'KUBESTACK_WATCHDOG_SECONDS',
  nodeNameFallback: 'KUBESTACK_NODENAME_FALLBACK',
};

export type ConfigInput = Partial<Record<keyof AgentConfig, unknown>>;

function coerce(key: keyof AgentConfig, v: unknown): unknown {
  if (v === undefined || v === null || v === '') return undefined;
  const def = key === 'nodeName' ? '' : DEFAULTS[key];
  if (Array.isArray(def)) {
    const list = Array.isArray(v) ? v.map(String) : String(v).split(',');
    return list.map((s) => s.trim()).filter(Boolean);
  }
  if (typeof def === 'number') {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0)
      throw new Error(`${key}: expected a positive number, got ${String(v)}`);
    return n;
  }
  if (typeof def === 'boolean') return v === true || v === 'true' || v === '1' || v === 'yes';
  return String(v);
}

/** Merges the sources; `flags` holds only what was given on the command line. */
export function resolveConfig(
  flags: ConfigInput,
  env: NodeJS.ProcessEnv = process.env,
  configFile?: string,
): AgentConfig {
  const file = configFile ?? env.KUBESTACK_CONFIG;
  const fromFile: ConfigInput = file ? ((parse(readFileSync(file, 'utf8')) as ConfigInput | null) ?? {}) : {};
  const out: Record<string, unknown> = { ...DEFAULTS, nodeName: defaultNodeName() };
  for (const key of Object.keys(ENV) as Array<keyof AgentConfig>) {
    for (const v of [fromFile[key], env[ENV[key]], flags[key]]) {
      const c = coerce(key, v);
      if (c !== undefined) out[key] = c;
    }
  }
  const cfg = out as unknown as AgentConfig;
  cfg.nodeName = cfg.nodeName.toLowerCase();
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(cfg.nodeName))
    throw new Error(`invalid node name ${cfg.nodeName}`);
  return cfg;
}
