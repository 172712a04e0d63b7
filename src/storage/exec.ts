/**
 * The one way the storage engine runs host tools: execa with an argument array (never a shell),
 * a timeout, and failures turned into CommandError carrying the tail of stderr.
 */
import { execa } from 'execa';
import { CommandError, TimeoutError } from '../errors.js';

export interface RunOptions {
  /** Milliseconds before the command is killed (default 10 minutes: big copies take time). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Text written to the command's stdin. */
  input?: string;
  cwd?: string;
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

const STDERR_TAIL = 2000;

/** Keeps the last `max` characters of `s`, cut at a line start where possible. */
export function tail(s: string, max = STDERR_TAIL): string {
  if (s.length <= max) return s;
  const cut = s.slice(s.length - max);
  const nl = cut.indexOf('\n');
  return nl >= 0 && nl < cut.length - 1 ? cut.slice(nl + 1) : cut;
}

export async function run(
  command: string,
  args: readonly string[],
  opts: RunOptions = {},
): Promise<RunResult> {
  const result = await execa(command, args, {
    timeout: opts.timeoutMs ?? 600_000,
    reject: false,
    stripFinalNewline: true,
    all: false,
    ...(opts.signal ? { cancelSignal: opts.signal } : {}),
    ...(opts.input !== undefined ? { input: opts.input } : { stdin: 'ignore' }),
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    env: { LC_ALL: 'C' },
  });
  const stdout = String(result.stdout ?? '');
  const stderr = String(result.stderr ?? '');
  if (result.timedOut) {
    throw new TimeoutError(`${command} timed out after ${opts.timeoutMs ?? 600_000} ms`, {
      details: { command, args: [...args] },
    });
  }
  if (result.failed) {
    // ENOENT and friends: the tool is missing; exitCode is undefined then.
    const why = stderr || (result.exitCode === undefined ? String(result.message ?? '') : stdout);
    throw new CommandError(command, result.exitCode, tail(why), { details: { args: [...args] } });
  }
  return { stdout, stderr };
}

/** True when `command` is found on PATH (used to decide whether a pool type can work here). */
export async function haveCommand(command: string): Promise<boolean> {
  const { access } = await import('node:fs/promises');
  const { constants } = await import('node:fs');
  for (const dir of (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':')) {
    if (!dir) continue;
    try {
      await access(`${dir}/${command}`, constants.X_OK);
      return true;
    } catch {
      // keep looking
    }
  }
  return false;
}
