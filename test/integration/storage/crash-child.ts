/**
 * Runs ONE engine operation in its own process, for the crash tests: the parent sets
 * KUBESTACK_STORAGE_KILL_AT=<op>:<n> so this process SIGKILLs itself at step n.
 * argv[2] = JSON {stateDir, method, params}. Prints "done" when the operation finished.
 */
import { pino } from 'pino';
import { StorageEngine } from '../../../src/storage/index.js';

const { stateDir, method, params } = JSON.parse(process.argv[2] ?? '{}') as {
  stateDir: string;
  method: string;
  params: unknown;
};
const engine = new StorageEngine({ stateDir, log: pino({ level: 'silent' }) });
const fn = (engine as unknown as Record<string, (p: unknown) => Promise<unknown>>)[method];
if (!fn) {
  console.error(`no method ${method}`);
  process.exit(2);
}
try {
  await fn.call(engine, params);
  console.log('done');
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
