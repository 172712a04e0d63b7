/**
 * Packet endpoints for the data-plane tests: an OVS internal port on br-int moved into its own
 * network namespace and bound like a VM NIC (Interface `external_ids:iface-id` = the logical
 * port's name, the NIC's MAC on the device), so ovn-controller claims it exactly as it claims a
 * VM's tap. (Tiny guests would be better; this test bed's guest image belongs to another suite.)
 * Traffic only between namespaces of this machine; busybox ping, Python sockets for TCP flows.
 */
import { execa } from 'execa';
import { sleep } from '../../../src/timing.js';
import { vsctl } from '../ovn/fixture.js';

export interface Endpoint {
  ns: string;
  dev: string;
  mac: string;
  ip: string;
}

export async function addEndpoint(
  e: Endpoint,
  ifaceId: string,
  prefix: number,
  gateway?: string,
): Promise<void> {
  await execa('ip', ['netns', 'add', e.ns]);
  await vsctl(
    '--may-exist',
    'add-port',
    'br-int',
    e.dev,
    '--',
    'set',
    'Interface',
    e.dev,
    'type=internal',
    `external_ids:iface-id=${ifaceId}`,
    `external_ids:attached-mac="${e.mac}"`,
  );
  await execa('ip', ['link', 'set', e.dev, 'netns', e.ns]);
  const ipn = (...a: string[]) => execa('ip', ['-n', e.ns, ...a]);
  await ipn('link', 'set', e.dev, 'address', e.mac);
  await ipn('link', 'set', e.dev, 'up');
  await ipn('link', 'set', 'lo', 'up');
  await ipn('addr', 'add', `${e.ip}/${prefix}`, 'dev', e.dev);
  if (gateway) await ipn('route', 'add', 'default', 'via', gateway);
}

export async function removeEndpoint(e: Endpoint): Promise<void> {
  await vsctl('--if-exists', 'del-port', 'br-int', e.dev).catch(() => undefined);
  await execa('ip', ['netns', 'del', e.ns]).catch(() => undefined);
}

export const inNs = (ns: string, cmd: string, args: string[], timeoutMs = 15_000) =>
  execa('ip', ['netns', 'exec', ns, cmd, ...args], { timeout: timeoutMs, reject: false });

export async function pings(from: Endpoint, to: string): Promise<boolean> {
  const r = await inNs(from.ns, 'busybox', ['ping', '-c', '1', '-W', '1', to], 5000);
  return r.exitCode === 0;
}

/** Polls (bounded) until `probe()` gives `want`; returns the last answer. */
export async function until(
  probe: () => Promise<boolean>,
  want: boolean,
  timeoutMs: number,
): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  let last = await probe();
  while (last !== want && Date.now() < end) {
    await sleep(300);
    last = await probe();
  }
  return last;
}

const SERVER = `
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2]))); s.listen(1); s.settimeout(float(sys.argv[3]))
c, peer = s.accept(); c.settimeout(float(sys.argv[3])); n = 0; t0 = None
while True:
    d = c.recv(65536)
    if t0 is None: t0 = time.time()
    if not d: break
    n += len(d)
print(n, round(time.time() - (t0 or time.time()), 4), peer[0])
`;

const CLIENT = `
import socket, sys
c = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=float(sys.argv[4]))
c.sendall(b'x' * int(sys.argv[3])); c.shutdown(socket.SHUT_WR); c.recv(1); c.close()
`;

export interface Flow {
  ok: boolean;
  bytes: number;
  seconds: number;
  /** The source address the server saw. */
  peer: string;
}

/** A TCP flow of `bytes` from `client` to `addr:port` served in `server`'s namespace. */
export async function tcpFlow(
  server: Endpoint,
  client: Endpoint,
  addr: string,
  port: number,
  bytes: number,
  timeoutS = 6,
): Promise<Flow> {
  const srv = inNs(
    server.ns,
    'python3',
    ['-c', SERVER, server.ip, String(port), String(timeoutS)],
    (timeoutS + 10) * 1000,
  );
  await sleep(300);
  const cli = await inNs(
    client.ns,
    'python3',
    ['-c', CLIENT, addr, String(port), String(bytes), String(timeoutS)],
    (timeoutS + 10) * 1000,
  );
  const r = await srv;
  const [n, s, peer] = r.stdout.trim().split(' ');
  return {
    ok: cli.exitCode === 0 && r.exitCode === 0,
    bytes: Number(n ?? 0),
    seconds: Number(s ?? 0),
    peer: peer ?? '',
  };
}
