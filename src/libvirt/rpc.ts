/** Small helpers under the connection: one call on a transport, its metrics, opening the socket. */
import { createConnection, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { LibvirtDisconnectedError } from './errors.js';
import type { EventFamily } from './events.js';
import * as metrics from './metrics.js';
import { type Procedure, procedures } from './procedures/index.js';
import type { Transport } from './transport.js';
import { XdrReader, XdrWriter } from './xdr.js';

export function callOn<A, R>(t: Transport, p: Procedure<A, R>, args: A): Promise<R> {
  const w = new XdrWriter();
  p.args.enc(w, args);
  return t.call(p.program, p.number, w.bytes(), p.name).then((body) => p.ret.dec(new XdrReader(body)));
}

/** Records the call's duration and outcome. */
export function timed<R>(procedure: string, p: Promise<R>): Promise<R> {
  const t0 = performance.now();
  const done = (outcome: string) =>
    metrics.callSeconds.observe({ procedure, outcome }, (performance.now() - t0) / 1000);
  return p.then(
    (v) => {
      done('ok');
      return v;
    },
    (err: unknown) => {
      done(err instanceof LibvirtDisconnectedError ? 'disconnected' : 'error');
      throw err;
    },
  );
}

export function registerOn(t: Transport, family: EventFamily, eventID: number): Promise<number> {
  if (family === 'pool') {
    return callOn(t, procedures.connectStoragePoolEventRegisterAny, { eventID, pool: null });
  }
  return callOn(t, procedures.connectDomainEventCallbackRegisterAny, { eventID, dom: null });
}

export function openSocket(path: string, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ path });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new LibvirtDisconnectedError(`connecting to ${path} took over ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(new LibvirtDisconnectedError(`cannot connect to ${path}: ${err.message}`, err));
    });
  });
}
