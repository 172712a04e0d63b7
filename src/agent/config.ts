/**
 * The agent's configuration. Precedence: command-line flag > environment variable > config file
 * (YAML, --config or KUBESTACK_CONFIG) > the defaults below.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ValidationError } from '../errors.js';
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
  /** Every object of this node is observed again this often (also on start and reconnects), minutes. Default 5. */
  resyncMinutes: number;
  /** Per-VM statistics (`kubevirt_vmi_*`) are sampled from libvirt this often, seconds. Default 10. */
  vmMetricsIntervalSeconds: number;
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
  resyncMinutes: 5,
  vmMetricsIntervalSeconds: 10,
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
  resyncMinutes: 'KUBESTACK_RESYNC_MINUTES',
  vmMetricsIntervalSeconds: 'KUBESTACK_VM_METRICS_INTERVAL_SECONDS',
};

export type ConfigInput = Partial<Record<keyof AgentConfig, unknown>>;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];
const BOOLEANS: Record<string, boolean> = {
  true: true,
  false: false,
  '1': true,
  '0': false,
  yes: true,
  no: false,
};
const OVSDB_ADDRESS = /^(unix:\/\S+|(tcp|ssl):[^\s:]+:\d{1,5})$/;

/** Why a string setting's value is not valid, or undefined when it is. */
function stringProblem(key: keyof AgentConfig, v: string): string | undefined {
  if (key === 'logLevel' && !LOG_LEVELS.includes(v)) return `expected one of ${LOG_LEVELS.join('|')}`;
  if ((key === 'journalDir' || key === 'libvirtSocket') && !/^\/\S*$/.test(v))
    return 'expected an absolute path without spaces';
  if ((key === 'ovnNb' || key === 'ovsDb') && !OVSDB_ADDRESS.test(v))
    return 'expected unix:/path, tcp:host:port or ssl:host:port';
  if (key === 'metricsAddr' && !/^[^\s]*:\d{1,5}$/.test(v)) return 'expected host:port (or empty: no server)';
  if (key === 'kubeconfig' && /\s/.test(v)) return 'expected a path without spaces';
  return undefined;
}

/**
 * One source's value of one setting, checked: a value that is not a valid one is refused (never
 * silently used, e.g. an env file line whose trailing comment was kept in the value).
 */
function coerce(key: keyof AgentConfig, v: unknown, source: string): unknown {
  if (v === undefined || v === null) return undefined;
  if (key === 'metricsAddr' && v === '') return '';
  if (v === '') return undefined;
  const bad = (expected: string) =>
    new ValidationError(`${JSON.stringify(v)} is not a valid value: ${expected}`, source);
  const def = key === 'nodeName' ? '' : DEFAULTS[key];
  if (Array.isArray(def)) {
    const list = (Array.isArray(v) ? v.map(String) : String(v).split(','))
      .map((s) => s.trim())
      .filter(Boolean);
    const wrong = list.find((ns) => !DNS_LABEL.test(ns));
    if (wrong !== undefined)
      throw bad(`namespace names are lowercase letters, digits and '-' (got ${JSON.stringify(wrong)})`);
    return list;
  }
  if (typeof def === 'number') {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw bad('expected a positive integer');
    return n;
  }
  if (typeof def === 'boolean') {
    const b = typeof v === 'boolean' ? v : BOOLEANS[String(v).trim().toLowerCase()];
    if (b === undefined) throw bad('expected true or false');
    return b;
  }
  const text = String(v);
  const problem = stringProblem(key, text);
  if (problem) throw bad(problem);
  return text;
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
    const sources: Array<[unknown, string]> = [
      [fromFile[key], `${file ?? 'config file'}: ${key}`],
      [env[ENV[key]], ENV[key]],
      [flags[key], `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`],
    ];
    for (const [v, source] of sources) {
      const c = coerce(key, v, source);
      if (c !== undefined) out[key] = c;
    }
  }
  const cfg = out as unknown as AgentConfig;
  cfg.nodeName = cfg.nodeName.toLowerCase();
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(cfg.nodeName))
    throw new ValidationError(`invalid node name ${JSON.stringify(cfg.nodeName)}`, 'nodeName');
  return cfg;
}
