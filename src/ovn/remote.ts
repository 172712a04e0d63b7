/** Parses an OVSDB remote (`unix:/path`, `tcp:host:port`, `tcp:[v6]:port`) and opens a socket to it. */
import { createConnection, type Socket } from 'node:net';
import { ValidationError } from '../errors.js';
import { OvsdbUnavailableError } from './errors.js';

export type Remote = { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number };

export function parseRemote(remote: string): Remote {
  if (remote.startsWith('unix:')) {
    const path = remote.slice('unix:'.length);
    if (!path) throw new ValidationError('empty unix socket path', 'remote');
    return { kind: 'unix', path };
  }
  const m = /^tcp:(?:\[([0-9a-fA-F:]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(remote);
  if (m) {
    const port = Number(m[3]);
    if (port < 1 || port > 65535) throw new ValidationError(`bad port in '${remote}'`, 'remote');
    return { kind: 'tcp', host: (m[1] ?? m[2]) as string, port };
  }
  throw new ValidationError(
    `unsupported OVSDB remote '${remote}' (use unix:PATH or tcp:HOST:PORT)`,
    'remote',
  );
}

export function openSocket(remote: Remote, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock =
      remote.kind === 'unix'
        ? createConnection({ path: remote.path })
        : createConnection({ host: remote.host, port: remote.port });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new OvsdbUnavailableError(`OVSDB connect timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.removeAllListeners('error');
      resolve(sock);
    });
    sock.once('error', (err) => {
      clearTimeout(timer);
      reject(new OvsdbUnavailableError(`OVSDB connect failed: ${err.message}`, { cause: err }));
    });
  });
}
