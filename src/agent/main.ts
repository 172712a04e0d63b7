/** Entry point: `npx tsx src/agent/main.ts <command>` in development, bin/kubestack-agent.js installed. */

// `exec`, `ops` and `validate` print JSON on stdout: keep the libraries' info logs out of it. This
// must happen before the modules creating the shared logger load, hence the dynamic imports below.
if (['exec', 'ops', 'validate'].includes(process.argv[2] ?? '')) process.env.KUBESTACK_LOG_LEVEL ??= 'warn';

// `kubestack-agent ops | head` closes the pipe early: that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const { buildProgram } = await import('./cli.js');
const { opsCommand, validateCommand } = await import('./cli-ops.js');
const { registryCatalog } = await import('./registry-catalog.js');

const program = buildProgram({
  catalog: async () => registryCatalog(),
  cliOps: async () => ({
    opsCommand: (o) => opsCommand(undefined, o),
    validateCommand: (text) => validateCommand(text),
  }),
});

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`kubestack-agent: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
