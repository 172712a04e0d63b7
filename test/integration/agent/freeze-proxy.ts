/**
 * A TCP proxy in front of the real apiserver that can fail the ways networks do: refuse
 * connections (apiserver down / unreachable) or freeze the open ones — bytes stop flowing but no
 * FIN or RST arrives, the silent stall Node watch clients are known to suffer. New connections
 * after a freeze pass again. Only the network is simulated; the apiserver is the real one.
 */
import net from 'node:net';

export class FreezeProxy {
  private server: net.Server | undefined;
  private readonly conns = new Set<{ client: net.Socket; upstream: net.Socket; frozen: boolean }>();
  private refusing = false;
  port = 0;

  constructor(
    private readonly upstreamHost: string,
    private readonly upstreamPort: number,
  ) {}

  async start(port = 0): Promise<number> {
    const server = net.createServer((client) => {
      if (this.refusing) {
        client.destroy();
        return;
      }
      const upstream = net.connect(this.upstreamPort, this.upstreamHost);
      const c = { client, upstream, frozen: false };
      this.conns.add(c);
      client.on('data', (d) => {
        if (!c.frozen) upstream.write(d);
      });
      upstream.on('data', (d) => {
        if (!c.frozen) client.write(d);
      });
      const end = () => {
        if (c.frozen) return; // a frozen link tells nobody anything
        client.destroy();
        upstream.destroy();
        this.conns.delete(c);
      };
      client.on('close', end);
      upstream.on('close', end);
      client.on('error', () => {});
      upstream.on('error', () => {});
    });
    this.server = server;
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    this.port = (server.address() as net.AddressInfo).port;
    return this.port;
  }

  /** Existing connections stop carrying bytes, silently. */
  freeze(): number {
    for (const c of this.conns) c.frozen = true;
    return this.conns.size;
  }

  setRefusing(on: boolean): void {
    this.refusing = on;
    if (on) for (const c of this.conns) c.client.destroy();
  }

  async stop(): Promise<void> {
    for (const c of this.conns) {
      c.client.destroy();
      c.upstream.destroy();
    }
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
