/**
 * The command line: `run` (the daemon), `exec` (one operation locally), `ops` and `validate`
 * (the executor framework's schema tools, from cli-ops.ts).
 */
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { pino } from 'pino';
import { createLogger } from '../log.js';
import { Agent } from './agent.js';
import type { OperationCatalog } from './catalog.js';
import type { OpsOptions } from './cli-ops.js';
import { type ConfigInput, resolveConfig } from './config.js';
import { execOperation, readExecFile } from './exec-command.js';
import { buildServices, closeServices } from './services-root.js';

export interface CliDeps {
  /** The operations the agent serves (the executor registry in production). */
  catalog: () => Promise<OperationCatalog>;
  /** Where `ops`/`validate` come from (cli-ops.ts). */
  cliOps: () => Promise<{
    opsCommand: (o: OpsOptions) => unknown;
    validateCommand: (text: string) => unknown;
  }>;
  out?: (text: string) => void;
  /** Whether stdout is a terminal (`ops` prints a table there). Default: process.stdout.isTTY. */
  isTTY?: boolean;
}

/** The version of the installed package (package.json two levels above src/agent or dist/agent). */
export function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

const collect = (v: string, prev: string[] = []): string[] => [...prev, ...v.split(',').filter(Boolean)];

function print(out: (t: string) => void, v: unknown): void {
  out(typeof v === 'string' ? v : JSON.stringify(v, null, 2));
}

export function buildProgram(deps: CliDeps): Command {
  const out = deps.out ?? ((t: string) => process.stdout.write(`${t}\n`));
  const program = new Command('kubestack-agent')
    .description('KubeStack node agent: carries out doslab.io/v1 lifecycle operations on this host')
    .version(packageVersion(), '-V, --version', 'print the agent’s version')
    .showHelpAfterError();

  program
    .command('run')
    .description('watch this node’s resources and carry out their operations')
    .option('--config <file>', 'YAML config file (flags > env > file > defaults)')
    .option('--kubeconfig <file>', 'kubeconfig (default: KUBECONFIG, ~/.kube/config, in-cluster)')
    .option('--node-name <name>', 'this node’s name (default: lowercased hostname)')
    .option('--namespace <ns>', 'namespace to watch; repeat or comma-separate (default: default)', collect)
    .option('--concurrency <n>', 'operations at once across objects (default: 8)')
    .option('--log-level <level>', 'trace|debug|info|warn|error (default: info)')
    .option(
      '--metrics-addr <host:port>',
      'serve /metrics, /healthz, /readyz here ("" = off; default 0.0.0.0:9180)',
    )
    .option('--journal-dir <dir>', 'crash-safety journal directory (default: /var/lib/kubestack-agent)')
    .option('--libvirt-socket <path>', 'libvirtd socket (default: /var/run/libvirt/libvirt-sock)')
    .option('--ovn-nb <address>', 'OVN Northbound DB (default: unix:/var/run/ovn/ovnnb_db.sock)')
    .option('--ovs-db <address>', 'local Open_vSwitch DB (default: unix:/var/run/openvswitch/db.sock)')
    .addOption(new Option('--dry-run', 'decide and log only: no writes, no host changes'))
    .action(async (o: Record<string, unknown>) => {
      const flags: ConfigInput = {
        kubeconfig: o.kubeconfig,
        nodeName: o.nodeName,
        namespaces: o.namespace,
        concurrency: o.concurrency,
        logLevel: o.logLevel,
        metricsAddr: o.metricsAddr,
        journalDir: o.journalDir,
        libvirtSocket: o.libvirtSocket,
        ovnNb: o.ovnNb,
        ovsDb: o.ovsDb,
        dryRun: o.dryRun,
      };
      const config = resolveConfig(flags, process.env, o.config as string | undefined);
      const log = createLogger(config.logLevel);
      const agent = await Agent.start({ config, catalog: await deps.catalog(), log });
      await new Promise<void>((resolve) => {
        const stop = (sig: string) => {
          log.info({ signal: sig }, 'stopping');
          agent.stop().then(resolve, resolve);
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
    });

  program
    .command('exec')
    .description('run one operation on this host and print the result as JSON (no cluster needed)')
    .requiredOption(
      '-f, --file <file>',
      'the request: a resource with spec.lifecycle, or {kind, name, lifecycle}; - = stdin',
    )
    .option('--node-name <name>', 'node name passed to the operation')
    .option('--log-level <level>', 'log level (logs go to stderr)', 'warn')
    .action(async (o: { file: string; nodeName?: string; logLevel: string }) => {
      const config = resolveConfig({ nodeName: o.nodeName, logLevel: o.logLevel });
      // stdout carries the result JSON only; logs go to stderr
      const log = pino({ level: config.logLevel, base: { app: 'kubestack-agent' } }, pino.destination(2));
      const obj = readExecFile(o.file);
      const services = await buildServices(config);
      try {
        const result = await execOperation(obj, {
          catalog: await deps.catalog(),
          services,
          nodeName: config.nodeName,
          log,
        });
        print(out, result);
        if (!result.ok) process.exitCode = 1;
      } finally {
        await closeServices(services);
      }
    });

  program
    .command('ops')
    .description('the documented operations: a table on a terminal, else JSON with parameter schemas')
    .option('--kind <kind>', 'only this kind’s operations (e.g. VirtualMachineDisk)')
    .option('--implemented', 'only the operations this node implements')
    .option('--json', 'JSON with each operation’s parameter schema, also on a terminal')
    .action(async (o: { kind?: string; implemented?: boolean; json?: boolean }) => {
      const table = !o.json && (deps.isTTY ?? process.stdout.isTTY === true);
      const opts: OpsOptions = { kind: o.kind, implemented: o.implemented, format: table ? 'table' : 'json' };
      print(out, (await deps.cliOps()).opsCommand(opts));
    });

  program
    .command('validate')
    .description('check a request file against its operation’s schema without running it')
    .requiredOption('-f, --file <file>', 'the request file; - = stdin')
    .action(async (o: { file: string }) => {
      const { readFileSync } = await import('node:fs');
      const text = readFileSync(o.file === '-' ? 0 : o.file, 'utf8');
      const r = (await deps.cliOps()).validateCommand(text);
      print(out, r);
      if (typeof r === 'object' && r !== null && (r as { ok?: unknown }).ok === false) process.exitCode = 1;
    });

  return program;
}
